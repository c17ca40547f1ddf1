import type { FormEvent, ReactNode } from 'react';
import { describeError } from '../lib/problem';
import { Alert } from './alert';

export interface ApiFormProps {
  /** The state of `useApiForm` / `useFieldForm`. */
  form: { busy: boolean; formError: unknown };
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  /** Heads the alert for an error no field owns, e.g. "Not signed in". */
  errorTitle?: string;
  /** More inside that alert, e.g. a link to what to do next. */
  errorDetails?: ReactNode;
  /** Shown above that alert: notices and outcomes of other actions on the page. */
  notices?: ReactNode;
  children: ReactNode;
}

/**
 * A form that talks to the API: the browser's own validation bubbles are off (the fields show
 * the errors), it is marked busy while the request runs, and an error not tied to one field is
 * shown above the fields.
 */
export function ApiForm({
  form,
  onSubmit,
  errorTitle,
  errorDetails,
  notices,
  children,
}: ApiFormProps) {
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-busy={form.busy || undefined}>
      {notices}
      {form.formError ? (
        <Alert tone="error" title={errorTitle}>
          {errorDetails ? (
            <>
              <p>{describeError(form.formError)}</p>
              {errorDetails}
            </>
          ) : (
            describeError(form.formError)
          )}
        </Alert>
      ) : null}
      {children}
    </form>
  );
}

/** The primary submit button; it says what is happening while the request runs. */
export function SubmitButton({
  busy,
  busyLabel,
  children,
}: {
  busy: boolean;
  busyLabel: string;
  children: ReactNode;
}) {
  return (
    <button type="submit" className="button button--primary" disabled={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}
