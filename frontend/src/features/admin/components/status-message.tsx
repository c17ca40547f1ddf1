import type { Ref } from 'react';
import { Alert } from '../../../components/alert';

/**
 * Where the outcome of an action is reported. It takes focus afterwards, because the button
 * that started the action may be gone (or in a closed dialog) and this reads the result out.
 */
export function StatusMessage({
  message,
  ref,
}: {
  message: string | undefined;
  ref: Ref<HTMLDivElement>;
}) {
  return (
    <div ref={ref} tabIndex={-1} className="page__message">
      {message ? <Alert tone="success">{message}</Alert> : null}
    </div>
  );
}
