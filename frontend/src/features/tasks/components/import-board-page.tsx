import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert } from '../../../components/alert';
import { FormField } from '../../../components/form-field';
import { PageHeading } from '../../../components/page-heading';
import { useT } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';
import { sentence } from '../../../lib/sentence';
import { type ImportSource, useImportBoard } from '../api/import-board';
import './board-settings.css';

const BOARD_KEY_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;
const SOURCES: readonly ImportSource[] = ['homeport', 'trello'];
const SOURCE_KEYS: Record<ImportSource, string> = {
  homeport: 'tasks.import.source.homeport',
  trello: 'tasks.import.source.trello',
};

interface ImportErrors {
  key?: string;
  name?: string;
  file?: string;
  /** What the server found wrong inside the file, each naming its place in it. */
  fileProblems?: string[];
  form?: unknown;
}

/** FileReader rather than `File.text()`, which older engines (and jsdom) lack. */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

/** `/boards/import`: a new board from a Homeport board file or a Trello board export. */
export function ImportBoardPage() {
  const t = useT();
  const navigate = useNavigate();
  const fileId = useId();
  const importBoard = useImportBoard();
  const [source, setSource] = useState<ImportSource>('homeport');
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [file, setFile] = useState<File>();
  const [errors, setErrors] = useState<ImportErrors>({});

  async function readFile(picked: File): Promise<unknown> {
    try {
      return JSON.parse(await readText(picked));
    } catch {
      return undefined;
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const next: ImportErrors = {};
    const boardKey = key.trim();
    if (!BOARD_KEY_PATTERN.test(boardKey)) next.key = t('tasks.import.keyInvalid');
    let data: unknown;
    if (!file) next.file = t('tasks.import.fileRequired');
    else {
      data = await readFile(file);
      if (data === undefined) next.file = t('tasks.import.fileNotJson', { name: file.name });
    }
    setErrors(next);
    if (Object.keys(next).length > 0) {
      queueMicrotask(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    try {
      const created = await importBoard.mutateAsync({
        source,
        key: boardKey,
        ...(name.trim() ? { name: name.trim() } : {}),
        data,
      });
      navigate(`/boards/${encodeURIComponent(boardKey)}`, {
        state: { imported: created.tasks, skippedMembers: created.skippedMembers },
      });
    } catch (error) {
      setErrors(serverErrors(error));
    }
  }

  function serverErrors(error: unknown): ImportErrors {
    if (!(error instanceof ApiError)) return { form: error };
    const problems = error.problem.errors ?? [];
    const result: ImportErrors = {};
    const fileProblems: string[] = [];
    for (const { field, message } of problems) {
      if (field === '/body/key') result.key = message;
      else if (field === '/body/name') result.name = message;
      else if (field.startsWith('/body/data')) {
        const place = field.slice('/body/data'.length);
        fileProblems.push(place ? `${place} ${message}` : sentence(message));
      } else result.form = error;
    }
    if (error.status === 409) result.key = error.problem.detail;
    if (fileProblems.length) result.fileProblems = fileProblems;
    if (!result.key && !result.name && !result.fileProblems) result.form = error;
    return result;
  }

  const fileInvalid = Boolean(errors.file || errors.fileProblems);
  return (
    <section className="page page--narrow board-settings">
      <PageHeading>{t('tasks.import.title')}</PageHeading>
      <p className="muted">{t('tasks.import.intro')}</p>
      <form
        className="form card"
        onSubmit={(event) => void onSubmit(event)}
        noValidate
        aria-busy={importBoard.isPending || undefined}
      >
        {errors.form ? (
          <Alert tone="error" title={t('tasks.import.failed')}>
            {describeError(errors.form)}
          </Alert>
        ) : null}
        <fieldset className="fieldset">
          <legend>{t('tasks.import.sourceLegend')}</legend>
          {SOURCES.map((option) => (
            <div key={option} className="checkbox">
              <input
                type="radio"
                id={`${fileId}-${option}`}
                name="source"
                value={option}
                checked={source === option}
                onChange={() => setSource(option)}
              />
              <label htmlFor={`${fileId}-${option}`}>{t(SOURCE_KEYS[option])}</label>
            </div>
          ))}
        </fieldset>
        <FormField
          label={t('tasks.import.key')}
          hint={t('tasks.import.keyHint')}
          className="field--narrow"
          autoComplete="off"
          value={key}
          error={errors.key}
          onChange={(event) => {
            setKey(event.target.value.toUpperCase());
            setErrors((current) => ({ ...current, key: undefined }));
          }}
        />
        <FormField
          label={t('tasks.import.name')}
          hint={t('tasks.import.nameHint')}
          maxLength={120}
          value={name}
          error={errors.name}
          onChange={(event) => setName(event.target.value)}
        />
        <div className={`field${fileInvalid ? ' field--invalid' : ''}`}>
          <label className="field__label" htmlFor={fileId}>
            {t('tasks.import.file')}
          </label>
          <input
            id={fileId}
            type="file"
            accept="application/json,.json"
            className="field__input"
            aria-invalid={fileInvalid || undefined}
            aria-describedby={fileInvalid ? `${fileId}-error` : undefined}
            onChange={(event) => {
              setFile(event.target.files?.[0]);
              setErrors((current) => ({ ...current, file: undefined, fileProblems: undefined }));
            }}
          />
          {errors.file ? (
            <p className="field__error" id={`${fileId}-error`}>
              {errors.file}
            </p>
          ) : null}
          {errors.fileProblems ? (
            <div className="field__error" id={`${fileId}-error`}>
              <p>{t('tasks.import.fileProblems')}</p>
              <ul>
                {errors.fileProblems.map((problem) => (
                  <li key={problem} className="break-anywhere">
                    {problem}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={importBoard.isPending}>
            {importBoard.isPending ? t('tasks.import.importing') : t('tasks.import.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
