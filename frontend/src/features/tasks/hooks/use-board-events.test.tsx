import { I18nProvider } from '@lingui/react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { signedInWithRoles } from '../../../../test/database';
import { apiClient } from '../../../lib/api-client';
import { i18n } from '../../../lib/i18n';
import { sessionStore } from '../../../lib/session-store';
import { boardQueryKey } from '../api/tasks-query-key';
import { LiveIndicator } from '../components/live-indicator';
import { useBoardEvents } from './use-board-events';

async function createBoard(): Promise<string> {
  const key = `L${crypto.getRandomValues(new Uint32Array(1))[0] ?? 0}`.slice(0, 8).toUpperCase();
  const { data, error } = await apiClient.POST('/api/boards', { body: { key, name: 'Live' } });
  if (!data) throw new Error(`board not created: ${JSON.stringify(error)}`);
  return data.id;
}

async function addTask(boardId: string, title: string): Promise<void> {
  const { data, error } = await apiClient.POST('/api/boards/{boardId}/tasks', {
    params: { path: { boardId } },
    body: { title },
  });
  if (!data) throw new Error(`task not created: ${JSON.stringify(error)}`);
}

/** A board's open-task count from the cache, kept current by the live stream only. */
function Probe({ boardId }: { boardId: string }) {
  const state = useBoardEvents(boardId);
  const board = useQuery({
    queryKey: boardQueryKey(boardId),
    queryFn: async () => {
      const { data } = await apiClient.GET('/api/boards/{boardId}', {
        params: { path: { boardId }, query: { perColumn: 50 } },
      });
      return data ?? null;
    },
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const titles = board.data?.columns.flatMap((column) => column.tasks.items.map((t) => t.title));
  return (
    <div>
      <LiveIndicator state={state} />
      <p>tasks: {titles?.join(', ') ?? 'loading'}</p>
    </div>
  );
}

function renderProbe(boardId: string) {
  return render(
    <I18nProvider i18n={i18n}>
      <QueryClientProvider client={new QueryClient()}>
        <Probe boardId={boardId} />
      </QueryClientProvider>
    </I18nProvider>,
  );
}

describe('live board events against the real backend', () => {
  it('shows a change made elsewhere without a reload, and says the board is live', async () => {
    await signedInWithRoles(['member', 'supervisor']);
    const boardId = await createBoard();
    const view = renderProbe(boardId);
    expect(await screen.findByText('Live')).toBeInTheDocument();
    expect(await screen.findByText('tasks:')).toBeInTheDocument();

    await addTask(boardId, 'Arrived live');
    expect(
      await screen.findByText('tasks: Arrived live', {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    view.unmount();
  });

  it('refreshes an expired or refused token (401) and connects with the new one', async () => {
    const user = await signedInWithRoles(['member', 'supervisor']);
    const boardId = await createBoard();
    const session = sessionStore.get();
    if (session.status !== 'signedIn') throw new Error('not signed in');
    // A token the server refuses; the refresh cookie is still good.
    sessionStore.signedIn({ ...session, accessToken: `${session.accessToken.slice(0, -4)}AAAA` });
    const view = renderProbe(boardId);
    expect(await screen.findByText('Live', {}, { timeout: 5000 })).toBeInTheDocument();
    const refreshed = sessionStore.get();
    expect(refreshed.status === 'signedIn' && refreshed.accessToken).not.toBe(session.accessToken);
    expect(refreshed.status === 'signedIn' && refreshed.user.email).toBe(user.email);
    view.unmount();
  });

  it('stops, saying so, for a board the user cannot see', async () => {
    await signedInWithRoles(['member']);
    renderProbe(crypto.randomUUID());
    expect(await screen.findByText('Not updating', {}, { timeout: 5000 })).toBeInTheDocument();
  });
});
