import { useState } from 'react';
import { formatMoney } from '../../../lib/format';
import { currentLocale, t } from '../../../lib/i18n';
import { useApiForm } from '../../../lib/use-api-form';
import { type Item, type PutItemInput, usePutItem } from '../api/put-item';
import { examplePrice, MAX_PRICE_MINOR_UNITS, parsePrice, priceToInput } from '../lib/price';

export interface ItemFormValues {
  id: string;
  name: string;
  price: string;
}

type FieldName = keyof ItemFormValues;
export type ItemFormErrors = Partial<Record<FieldName, string>>;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A fresh id suggestion; getRandomValues works on plain-http origins, unlike randomUUID. */
export function suggestItemId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `item-${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Checks for comfort only — the obvious mistakes, before a round trip. The server stays the
 * judge: whatever it rejects comes back as field errors and is shown the same way.
 */
function checkOnClient(values: ItemFormValues, currency: string): ItemFormErrors {
  const errors: ItemFormErrors = {};
  if (!values.id) errors.id = t('items.check.idRequired');
  else if (!ID_PATTERN.test(values.id)) errors.id = t('items.check.idPattern');
  if (!values.name) errors.name = t('items.check.nameRequired');
  const price = parsePrice(values.price, currency);
  if (!values.price.trim()) errors.price = t('items.check.priceRequired');
  else if (price === undefined) {
    errors.price = t('items.check.priceFormat', { example: examplePrice(currency) });
  } else if (price > MAX_PRICE_MINOR_UNITS) {
    errors.price = t('items.check.priceMax', {
      max: formatMoney(MAX_PRICE_MINOR_UNITS, currency, currentLocale()),
    });
  }
  return errors;
}

export function valuesOf(item: Item | undefined, currency: string): ItemFormValues {
  return item
    ? { id: item.id, name: item.name, price: priceToInput(item.price, currency) }
    : { id: suggestItemId(), name: '', price: '' };
}

const FIELDS = ['id', 'name', 'price'] as const;

export function useItemForm(
  initial: ItemFormValues,
  { currency, createOnly }: { currency: string; createOnly: boolean },
  onSaved: (item: Item) => void,
) {
  const [values, setValues] = useState(initial);
  const { errors, formError, clearError, handleSubmit } = useApiForm(FIELDS);
  const putItem = usePutItem({ createOnly });

  function change(name: FieldName, value: string) {
    setValues((current) => ({ ...current, [name]: value }));
    // A field the person is fixing no longer shows the old complaint.
    clearError(name);
  }

  const submit = handleSubmit(
    () => checkOnClient(values, currency),
    async () => {
      const input: PutItemInput = {
        id: values.id,
        name: values.name,
        price: parsePrice(values.price, currency) as number,
      };
      onSaved(await putItem.mutateAsync(input));
    },
  );

  return { values, errors, formError, change, submit, saving: putItem.isPending };
}
