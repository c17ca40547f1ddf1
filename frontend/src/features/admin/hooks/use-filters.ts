import { useSearchParams } from 'react-router';
import { fieldErrorsOf } from '../../../lib/problem';
import { sentence } from '../../../lib/sentence';

/**
 * A list page's filters, kept in the address bar so a filtered view can be linked to (e.g. one
 * user's audit events) and survives a reload. `key` changes with the filters, which sends the
 * paging back to page 1.
 */
export function useFilters<Name extends string>(names: readonly Name[]) {
  const [params, setParams] = useSearchParams();
  const applied: Partial<Record<Name, string>> = {};
  for (const name of names) {
    const value = params.get(name);
    if (value) applied[name] = value;
  }
  return {
    applied,
    key: names.map((name) => `${name}=${applied[name] ?? ''}`).join('&'),
    apply(values: Partial<Record<Name, string>>) {
      const next = new URLSearchParams();
      for (const name of names) {
        const value = values[name];
        if (value) next.set(name, value);
      }
      setParams(next);
    },
    /**
     * The server's field errors about the query string (`/querystring/<name>`), by filter name.
     */
    errorsOf(error: unknown): Partial<Record<Name, string>> {
      const { fields } = fieldErrorsOf(error, '/querystring/');
      const errors: Partial<Record<Name, string>> = {};
      for (const name of names) {
        const message = fields[name];
        if (message) errors[name] = sentence(message);
      }
      return errors;
    },
  };
}
