import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { FormField } from '../../../components/form-field';
import { describeError } from '../../../lib/problem';
import type { Item } from '../api/put-item';
import { type ItemFormValues, useItemForm } from '../hooks/use-item-form';

export interface ItemFormProps {
  initial: ItemFormValues;
  /** Editing keeps the id: it names the item being replaced. */
  mode: 'create' | 'edit';
  onSaved: (item: Item) => void;
}

export function ItemForm({ initial, mode, onSaved }: ItemFormProps) {
  const { values, errors, formError, change, submit, saving } = useItemForm(initial, onSaved);
  return (
    <form className="card form" onSubmit={submit} noValidate aria-busy={saving || undefined}>
      {formError ? (
        <Alert tone="error" title="Not saved">
          {describeError(formError)}
        </Alert>
      ) : null}
      <FormField
        label="Id"
        name="id"
        value={values.id}
        onChange={(event) => change('id', event.target.value)}
        readOnly={mode === 'edit'}
        required
        maxLength={64}
        autoComplete="off"
        spellCheck={false}
        hint={
          mode === 'edit'
            ? 'The id names the item and cannot change.'
            : 'Letters, digits, “-” or “_”. Saving with an existing id replaces that item.'
        }
        error={errors.id}
      />
      <FormField
        label="Name"
        name="name"
        value={values.name}
        onChange={(event) => change('name', event.target.value)}
        required
        maxLength={200}
        autoComplete="off"
        error={errors.name}
      />
      <FormField
        label="Price"
        name="price"
        value={values.price}
        onChange={(event) => change('price', event.target.value)}
        required
        inputMode="decimal"
        autoComplete="off"
        hint="In the currency's main unit, e.g. 12.50."
        error={errors.price}
        className="field--narrow"
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? 'Saving…' : mode === 'create' ? 'Create item' : 'Save changes'}
        </button>
        <Link to="/items" className="button">
          Cancel
        </Link>
      </div>
    </form>
  );
}
