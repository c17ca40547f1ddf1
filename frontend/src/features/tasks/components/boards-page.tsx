import { Link, useNavigate } from 'react-router';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { FormField } from '../../../components/form-field';
import { PageHeading } from '../../../components/page-heading';
import { PagedList } from '../../../components/paged-list';
import { useCursorPages } from '../../../components/use-cursor-pages';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import { useCreateBoard } from '../api/create-board';
import { useListBoards } from '../api/list-boards';
import './board.css';

export const BOARDS_PAGE_SIZE = 50;
const BOARD_KEY = /^[A-Z][A-Z0-9]{1,9}$/;

function CreateBoardForm() {
  const t = useT();
  const navigate = useNavigate();
  const create = useCreateBoard();
  const form = useFieldForm({ name: '', key: '' });

  const onSubmit = form.handleSubmit(
    () => ({
      name: form.values.name.trim() ? undefined : t('tasks.boards.nameRequired'),
      key: BOARD_KEY.test(form.values.key) ? undefined : t('tasks.boards.keyInvalid'),
    }),
    async () => {
      const board = await create.mutateAsync({
        name: form.values.name.trim(),
        key: form.values.key,
      });
      navigate(`/boards/${board.key}`);
    },
  );

  return (
    <section className="boards__create" aria-labelledby="create-board">
      <h2 id="create-board">{t('tasks.boards.create')}</h2>
      <ApiForm form={form} onSubmit={onSubmit}>
        <FormField label={t('tasks.boards.name')} maxLength={120} {...form.field('name')} />
        <FormField
          label={t('tasks.boards.key')}
          hint={t('tasks.boards.keyHint')}
          className="field--narrow"
          autoCapitalize="characters"
          maxLength={10}
          {...form.field('key', (value) => value.toUpperCase().replace(/\s/g, ''))}
        />
        <SubmitButton busy={form.busy} busyLabel={t('tasks.boards.creating')}>
          {t('tasks.boards.createSubmit')}
        </SubmitButton>
      </ApiForm>
    </section>
  );
}

/** `/boards`: my boards (archived ones left out) and a form to create one. */
export function BoardsPage() {
  const t = useT();
  const pages = useCursorPages('boards');
  const boards = useListBoards({ limit: BOARDS_PAGE_SIZE, cursor: pages.cursor });

  return (
    <section className="page boards">
      <PageHeading>{t('tasks.boards.title')}</PageHeading>
      <PagedList
        query={boards}
        pages={pages}
        loadingLabel={t('tasks.boards.loading')}
        errorTitle={t('tasks.boards.loadFailed')}
        empty={<p>{t('tasks.boards.empty')}</p>}
      >
        {(rows) => {
          const open = rows.filter((board) => !board.archived);
          return open.length > 0 ? (
            <ul className="boards__list">
              {open.map((board) => (
                <li key={board.id} className="boards__item">
                  <Link to={`/boards/${board.key}`} className="boards__link">
                    <span className="boards__key">{board.key}</span>
                    <span className="boards__name">{board.name}</span>
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('tasks.boards.empty')}</p>
          );
        }}
      </PagedList>
      <CreateBoardForm />
    </section>
  );
}
