import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { FormField } from '../../../components/form-field';
import { useFormat } from '../../../lib/format';
import { useT } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';
import type { Item } from '../api/put-item';
import { type ItemFormValues, useItemForm } from '../hooks/use-item-form';
import { examplePrice, MAX_PRICE_MINOR_UNITS } from '../lib/price';

export interface ItemFormProps {
  initial: ItemFormValues;
  /** Editing keeps the id and replaces the item; creating never replaces one. */
  mode: 'create' | 'edit';
  /** ISO 4217: decides the price's decimals and how it is written. */
  currency: string;
  onSaved: (item: Item) => void;
}

export function ItemForm({ initial, mode, currency, onSaved }: ItemFormProps) {
  const t = useT();
  const format = useFormat();
  const { values, errors, formError, change, submit, saving } = useItemForm(
    initial,
    { currency, createOnly: mode === 'create' },
    onSaved,
  );
  const exists = formError instanceof ApiError && formError.code === 'item_exists';
  return (
    <form className="card form" onSubmit={submit} noValidate aria-busy={saving || undefined}>
      {formError ? (
        <Alert tone="error" title={t('items.form.notSaved')}>
          <p>{describeError(formError)}</p>
          {exists ? (
            <Link to={`/items/${encodeURIComponent(values.id)}/edit`}>
              {t('items.form.editExisting')}
            </Link>
          ) : null}
        </Alert>
      ) : null}
      <FormField
        label={t('items.field.id')}
        name="id"
        value={values.id}
        onChange={(event) => change('id', event.target.value)}
        readOnly={mode === 'edit'}
        required
        maxLength={64}
        autoComplete="off"
        spellCheck={false}
        hint={mode === 'edit' ? t('items.form.idFixed') : t('items.form.idHint')}
        error={errors.id}
      />
      <FormField
        label={t('items.field.name')}
        name="name"
        value={values.name}
        onChange={(event) => change('name', event.target.value)}
        required
        maxLength={200}
        autoComplete="off"
        error={errors.name}
      />
      <FormField
        label={t('items.field.priceIn', { currency })}
        name="price"
        value={values.price}
        onChange={(event) => change('price', event.target.value)}
        required
        inputMode={format.money(1, currency).includes('.') ? 'decimal' : 'numeric'}
        autoComplete="off"
        hint={t('items.form.priceHint', {
          example: examplePrice(currency),
          max: format.money(MAX_PRICE_MINOR_UNITS, currency),
        })}
        error={errors.price}
        className="field--narrow"
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving
            ? t('items.form.saving')
            : mode === 'create'
              ? t('items.form.create')
              : t('items.form.save')}
        </button>
        <Link to="/items" className="button">
          {t('items.form.cancel')}
        </Link>
      </div>
    </form>
  );
}
