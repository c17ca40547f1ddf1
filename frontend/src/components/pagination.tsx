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
  return (
    <nav className="pagination" aria-label="Pages">
      <button
        type="button"
        className="button button--small"
        aria-disabled={!hasPrevious}
        onClick={() => hasPrevious && onPrevious()}
      >
        Previous page
      </button>
      <span className="pagination__page" aria-live="polite">
        Page {page}
      </span>
      <button
        type="button"
        className="button button--small"
        aria-disabled={!hasNext}
        onClick={() => hasNext && onNext()}
      >
        Next page
      </button>
    </nav>
  );
}
