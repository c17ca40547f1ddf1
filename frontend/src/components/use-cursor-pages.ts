import { useCallback, useState } from 'react';

/**
 * Page state for cursor pagination. Cursors only move forward, so the ones already seen make
 * "Previous" possible. A new `resetKey` (another search or filter) starts again at page 1.
 */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: resetKey,
    cursors: [undefined],
  });
  const cursors = state.key === resetKey ? state.cursors : [undefined];

  const previous = useCallback(
    () =>
      setState((current) => ({
        key: resetKey,
        cursors:
          current.key === resetKey && current.cursors.length > 1
            ? current.cursors.slice(0, -1)
            : [undefined],
      })),
    [resetKey],
  );
  const next = useCallback(
    (cursor: string) =>
      setState((current) => ({
        key: resetKey,
        cursors: [...(current.key === resetKey ? current.cursors : [undefined]), cursor],
      })),
    [resetKey],
  );

  return { page: cursors.length, cursor: cursors.at(-1), previous, next };
}
