import { useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { PageHeading } from '../../../components/page-heading';
import { Spinner } from '../../../components/spinner';
import { describeError } from '../../../lib/problem';
import { useItem } from '../api/get-item';
import type { Item } from '../api/put-item';
import { valuesOf } from '../hooks/use-item-form';
import { ItemForm } from './item-form';

function useBackToList() {
  const navigate = useNavigate();
  return (item: Item) =>
    navigate('/items', { state: { message: `Saved “${item.name}”.` } satisfies ItemsPageState });
}

export interface ItemsPageState {
  message?: string;
}

export function NewItemPage() {
  const onSaved = useBackToList();
  return (
    <section className="page page--narrow">
      <PageHeading>New item</PageHeading>
      <ItemForm mode="create" initial={valuesOf(undefined)} onSaved={onSaved} />
    </section>
  );
}

export function EditItemPage() {
  const { id = '' } = useParams();
  const item = useItem(id);
  const onSaved = useBackToList();
  return (
    <section className="page page--narrow">
      <PageHeading>Edit item</PageHeading>
      {item.isPending ? <Spinner label="Loading the item…" /> : null}
      {item.isError ? (
        <Alert tone="error" title="Cannot edit this item">
          {describeError(item.error)}
        </Alert>
      ) : null}
      {item.data ? (
        <ItemForm key={item.data.id} mode="edit" initial={valuesOf(item.data)} onSaved={onSaved} />
      ) : null}
    </section>
  );
}
