import { type ChangeEvent, useState } from 'react';
import { useApiForm } from '../lib/use-api-form';

/**
 * `useApiForm` plus the values of its text fields. `field(name)` gives a FormField what every
 * field needs — its value, a change handler that also clears the field's old error, and its
 * error — so a form states each field once.
 */
export function useFieldForm<Field extends string>(initial: Record<Field, string>) {
  const form = useApiForm(Object.keys(initial) as Field[]);
  const [values, setValues] = useState(initial);

  function field(name: Field, normalise?: (value: string) => string) {
    return {
      value: values[name],
      error: form.errors[name],
      onChange(event: ChangeEvent<HTMLInputElement>) {
        const { value } = event.target;
        setValues((current) => ({ ...current, [name]: normalise ? normalise(value) : value }));
        form.clearError(name);
      },
    };
  }

  return { ...form, values, setValues, field };
}
