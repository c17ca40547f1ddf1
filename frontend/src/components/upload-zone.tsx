import { type DragEvent, useId, useState } from 'react';
import type { StoredFile } from '../lib/complete-upload';
import type { Purpose } from '../lib/create-upload';
import { useT } from '../lib/i18n';
import { useUploads } from './use-uploads';
import './upload.css';
import { UploadList } from './upload-list';

export interface UploadZoneProps {
  purpose: Purpose;
  /** The drop zone's name (a fieldset legend, read by screen readers). */
  title?: string;
  /** The picker button's text, which is also the file input's accessible name. */
  label?: string;
  hint?: string;
  /** A hint to the browser's picker only; the server's rules decide. */
  accept?: string;
  multiple?: boolean;
  onUploaded?: (file: StoredFile) => void;
}

/**
 * Drop files here or pick them. The file input itself stays in the tab order (visually hidden,
 * its label drawn as a button), so keyboard users open the picker with Enter or Space.
 */
export function UploadZone({
  purpose,
  title,
  label,
  hint,
  accept,
  multiple = true,
  onUploaded,
}: UploadZoneProps) {
  const t = useT();
  const inputId = useId();
  const hintId = useId();
  const [dragging, setDragging] = useState(false);
  const uploads = useUploads(purpose, onUploaded);

  function hasFiles(event: DragEvent) {
    return [...event.dataTransfer.types].includes('Files');
  }

  function onDragOver(event: DragEvent<HTMLFieldSetElement>) {
    if (!hasFiles(event)) return;
    // Without preventDefault the browser would open the dropped file instead.
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  }

  function onDrop(event: DragEvent<HTMLFieldSetElement>) {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    uploads.start(multiple ? files : files.slice(0, 1));
  }

  return (
    <div className="stack">
      <fieldset
        className={`upload-zone${dragging ? ' upload-zone--dragging' : ''}`}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={(event) => {
          // Leaving for a child element is not leaving the zone.
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <legend className="visually-hidden">{title ?? t('common.upload.zone.title')}</legend>
        <span id={hintId} className="upload-zone__hint">
          {hint ?? t('common.upload.zone.hint')}
        </span>
        <input
          id={inputId}
          type="file"
          className="visually-hidden upload-zone__input"
          multiple={multiple}
          accept={accept}
          aria-describedby={hintId}
          onChange={(event) => {
            const files = [...(event.currentTarget.files ?? [])];
            // Cleared so choosing the same file again still fires a change.
            event.currentTarget.value = '';
            uploads.start(files);
          }}
        />
        <label htmlFor={inputId} className="button upload-zone__button">
          {label ?? t('common.upload.zone.choose')}
        </label>
      </fieldset>
      <UploadList entries={uploads.entries} onCancel={uploads.cancel} onDismiss={uploads.dismiss} />
    </div>
  );
}
