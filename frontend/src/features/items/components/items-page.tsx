import { useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { Alert } from '../../../components/alert';
import { PageHeading } from '../../../components/page-heading';
import { PagedList } from '../../../components/paged-list';
import { useCursorPages } from '../../../components/use-cursor-pages';
import { useT } from '../../../lib/i18n';
import { useListItems } from '../api/list-items';
import type { Item } from '../api/put-item';
import { DeleteItemDialog } from './delete-item-dialog';
import type { ItemsPageState } from './item-form-page';
import { ItemsTable } from './items-table';

export const ITEMS_PAGE_SIZE = 20;

export function ItemsPage() {
  const t = useT();
  const location = useLocation();
  const [message, setMessage] = useState((location.state as ItemsPageState | null)?.message);
  const pages = useCursorPages('items');
  const [deleting, setDeleting] = useState<Item | null>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const items = useListItems({ limit: ITEMS_PAGE_SIZE, cursor: pages.cursor });

  function onDeleted(item: Item) {
    setDeleting(null);
    setMessage(t('items.deleted', { name: item.name }));
    // The row and its button are gone; give focus a stable place that also reads the outcome.
    requestAnimationFrame(() => messageRef.current?.focus());
  }

  return (
    <section className="page">
      <PageHeading
        actions={
          <Link to="/items/new" className="button button--primary">
            {t('items.new.action')}
          </Link>
        }
      >
        {t('items.title')}
      </PageHeading>

      <div ref={messageRef} tabIndex={-1} className="page__message">
        {message ? <Alert tone="success">{message}</Alert> : null}
      </div>

      <PagedList
        query={items}
        pages={pages}
        loadingLabel={t('items.loading')}
        errorTitle={t('items.loadFailed')}
        empty={
          <>
            <p>{t('items.empty')}</p>
            <Link to="/items/new" className="button">
              {t('items.createFirst')}
            </Link>
          </>
        }
      >
        {(rows) => <ItemsTable items={rows} onDelete={setDeleting} />}
      </PagedList>

      {deleting ? (
        <DeleteItemDialog
          item={deleting}
          onDeleted={onDeleted}
          onCancel={() => setDeleting(null)}
        />
      ) : null}
    </section>
  );
}
