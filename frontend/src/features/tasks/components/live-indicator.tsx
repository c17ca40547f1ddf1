import type { StreamState } from '../../../lib/event-stream';
import './live-indicator.css';
import { useT } from '../../../lib/i18n';

const KEYS = {
  connecting: 'tasks.live.connecting',
  live: 'tasks.live.live',
  reconnecting: 'tasks.live.reconnecting',
  closed: 'tasks.live.offline',
} as const;

/** Whether the board updates by itself: a dot and a word, announced politely when it changes. */
export function LiveIndicator({ state }: { state: StreamState }) {
  const t = useT();
  return (
    <span className={`live-indicator live-indicator--${state}`} role="status" aria-live="polite">
      <span className="live-indicator__dot" aria-hidden="true" />
      {t(KEYS[state])}
    </span>
  );
}
