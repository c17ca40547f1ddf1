import { useT } from '../lib/i18n';

export interface PaginationProps {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}

/**
 * Previous/next for cursor pages. The buttons use aria-disabled rather than disabled so the one
 * just pressed keeps keyboard focus when it reaches the end.
 */
export function Pagination({ page, hasPrevious, hasNext, onPrevious, onNext }: PaginationProps) {
  const t = useT();
  return (
    <nav className="pagination" aria-label={t('common.pages')}>
      <button
        type="button"
        className="button button--small"
        aria-disabled={!hasPrevious}
        onClick={() => hasPrevious && onPrevious()}
      >
        {t('common.previousPage')}
      </button>
      <span className="pagination__page" aria-live="polite">
        {t('common.page', { page })}
      </span>
      <button
        type="button"
        className="button button--small"
        aria-disabled={!hasNext}
        onClick={() => hasNext && onNext()}
      >
        {t('common.nextPage')}
      </button>
    </nav>
  );
}
