import { type FormEvent, useLayoutEffect, useRef, useState } from 'react';
import { fieldErrorsOf } from './problem';
import { sentence } from './sentence';

export type FieldErrors<Field extends string> = Partial<Record<Field, string>>;

/**
 * Form plumbing shared by every form that talks to the API: the client's comfort checks run
 * first; whatever the server rejects comes back as field errors (`/body/<field>`) shown next to
 * the field, or as one form-level error; focus goes to the first invalid field.
 */
export function useApiForm<Field extends string>(fields: readonly Field[]) {
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Counts refused submits. The layout effect moves focus to the first invalid field during the
  // very commit that renders the errors. A form-level error needs no focus: it renders as
  // `role="alert"`, which screen readers announce on their own.
  const [refusals, setRefusals] = useState(0);
  const formRef = useRef<HTMLFormElement | null>(null);
  useLayoutEffect(() => {
    if (refusals > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);

  function clearError(field: Field) {
    setErrors((current) => (current[field] ? { ...current, [field]: undefined } : current));
  }

  function handleSubmit(check: () => FieldErrors<Field>, send: () => Promise<unknown>) {
    return async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      formRef.current = event.currentTarget;
      setFormError(null);
      const clientErrors = check();
      if (Object.values(clientErrors).some(Boolean)) {
        setErrors(clientErrors);
        setRefusals((count) => count + 1);
        return;
      }
      setErrors({});
      setBusy(true);
      try {
        await send();
      } catch (error) {
        const { fields: named, other } = fieldErrorsOf(error);
        const serverErrors: FieldErrors<Field> = {};
        for (const field of fields) {
          const message = named[field];
          if (message) serverErrors[field] = sentence(message);
        }
        setErrors(serverErrors);
        if (Object.keys(serverErrors).length === 0 || other.length > 0) setFormError(error);
        setRefusals((count) => count + 1);
      } finally {
        setBusy(false);
      }
    };
  }

  return { errors, formError, busy, clearError, handleSubmit, setFormError };
}
