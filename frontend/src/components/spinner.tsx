import { useT } from '../lib/i18n';

/** An indeterminate busy indicator with a text for screen readers. */
export function Spinner({ label }: { label?: string }) {
  const t = useT();
  return (
    <span className="spinner" role="status">
      <span className="spinner__circle" aria-hidden="true" />
      <span className="visually-hidden">{label ?? t('common.loading')}</span>
    </span>
  );
}
