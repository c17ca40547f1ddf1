import { type FormEvent, useId, useLayoutEffect, useRef, useState } from 'react';
import { FormField } from '../../../components/form-field';
import { useT } from '../../../lib/i18n';

export interface FilterFieldSpec<Name extends string> {
  name: Name;
  label: string;
  hint?: string;
  /** Suggestions offered while typing (a datalist); any value may still be sent. */
  suggestions?: readonly string[];
}

export interface FilterFormProps<Name extends string> {
  /** Names the search landmark, e.g. "Search users". */
  label: string;
  fields: readonly FilterFieldSpec<Name>[];
  /** The filters in effect (from the address bar); the inputs start from them. */
  applied: Partial<Record<Name, string>>;
  /** The server's complaints about the applied filters, by field name. */
  errors: Partial<Record<Name, string>>;
  onApply: (values: Partial<Record<Name, string>>) => void;
}

/**
 * A search landmark whose values apply on submit. The server validates them like any input:
 * its field errors come back through the list query and are shown at the field they name.
 */
export function FilterForm<Name extends string>({
  label,
  fields,
  applied,
  errors,
  onApply,
}: FilterFormProps<Name>) {
  const t = useT();
  const [draft, setDraft] = useState(applied);
  const form = useRef<HTMLFormElement>(null);
  const listId = useId();
  const hasErrors = Object.values(errors).some(Boolean);
  const hasFilters = Object.values(applied).some(Boolean);

  // The answer arrives after the submit: take the person to the first field it rejected.
  useLayoutEffect(() => {
    if (hasErrors) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [hasErrors]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values: Partial<Record<Name, string>> = {};
    for (const { name } of fields) {
      const value = draft[name]?.trim();
      if (value) values[name] = value;
    }
    onApply(values);
  }

  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is unknown to Safari before 17 and to jsdom; a form with the role works everywhere
    <form ref={form} role="search" aria-label={label} className="filter-form" onSubmit={onSubmit}>
      {fields.map((field) => (
        <div key={field.name} className="filter-form__field">
          <FormField
            label={field.label}
            type="search"
            value={draft[field.name] ?? ''}
            onChange={(event) => setDraft({ ...draft, [field.name]: event.target.value })}
            hint={field.hint}
            error={errors[field.name]}
            list={field.suggestions ? `${listId}-${field.name}` : undefined}
            autoComplete="off"
            spellCheck={false}
          />
          {field.suggestions ? (
            <datalist id={`${listId}-${field.name}`}>
              {field.suggestions.map((suggestion) => (
                <option key={suggestion} value={suggestion} />
              ))}
            </datalist>
          ) : null}
        </div>
      ))}
      <div className="filter-form__actions">
        <button type="submit" className="button button--primary">
          {t('admin.filter.search')}
        </button>
        {hasFilters ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft({});
              onApply({});
            }}
          >
            {t('admin.filter.clear')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
