import { Link, useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { PageHeading } from '../../../components/page-heading';
import { Spinner } from '../../../components/spinner';
import { t as translate, useT } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';
import { useItem } from '../api/get-item';
import { useItemSettings } from '../api/get-item-settings';
import type { Item } from '../api/put-item';
import { valuesOf } from '../hooks/use-item-form';
import { ItemForm } from './item-form';

function useBackToList() {
  const navigate = useNavigate();
  return (item: Item) =>
    navigate('/items', {
      state: { message: translate('items.saved', { name: item.name }) } satisfies ItemsPageState,
    });
}

export interface ItemsPageState {
  message?: string;
}

export function NewItemPage() {
  const t = useT();
  const settings = useItemSettings();
  const onSaved = useBackToList();
  return (
    <section className="page page--narrow">
      <PageHeading>{t('items.new.title')}</PageHeading>
      {settings.isPending ? <Spinner /> : null}
      {settings.isError ? <Alert tone="error">{describeError(settings.error)}</Alert> : null}
      {settings.data ? (
        <ItemForm
          mode="create"
          currency={settings.data.currency}
          initial={valuesOf(undefined, settings.data.currency)}
          onSaved={onSaved}
        />
      ) : null}
    </section>
  );
}

export function EditItemPage() {
  const t = useT();
  const { id = '' } = useParams();
  const item = useItem(id);
  const onSaved = useBackToList();
  const missing = item.error instanceof ApiError && item.error.status === 404;
  return (
    <section className="page page--narrow">
      <PageHeading>{t('items.edit.title')}</PageHeading>
      {item.isPending ? <Spinner label={t('items.edit.loading')} /> : null}
      {item.isError ? (
        <Alert tone="error" title={t('items.edit.failed')}>
          <p>{missing ? t('items.edit.missing', { id }) : describeError(item.error)}</p>
          <Link to="/items">{t('items.backToList')}</Link>
        </Alert>
      ) : null}
      {item.data ? (
        <ItemForm
          key={item.data.id}
          mode="edit"
          currency={item.data.currency}
          initial={valuesOf(item.data, item.data.currency)}
          onSaved={onSaved}
        />
      ) : null}
    </section>
  );
}
