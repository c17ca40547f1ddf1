import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { type Column, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { useDeleteWebhook } from '../api/delete-webhook';
import { useListWebhookDeliveries, type WebhookDelivery } from '../api/list-webhook-deliveries';
import type { Webhook } from '../api/list-webhooks';
import { useRotateWebhookSecret } from '../api/rotate-webhook-secret';
import { useSendWebhookTestEvent } from '../api/send-webhook-test-event';
import { useUpdateWebhook } from '../api/update-webhook';
import type { RevealedSecret } from './board-settings-webhook-secret';
import { describeWebhookError } from './webhook-errors';

type Outcome = { tone: 'success' | 'error'; text: string };

const STATUS_KEYS: Record<WebhookDelivery['status'], string> = {
  pending: 'tasks.settings.webhooks.status.pending',
  succeeded: 'tasks.settings.webhooks.status.succeeded',
  failed: 'tasks.settings.webhooks.status.failed',
};

/** One endpoint: what it receives, its state, its actions and its newest deliveries. */
export function WebhookEndpoint({
  boardId,
  webhook,
  onSecret,
  onDeleted,
}: {
  boardId: string;
  webhook: Webhook;
  onSecret: (revealed: RevealedSecret) => void;
  onDeleted: (url: string) => void;
}) {
  const t = useT();
  const deliveries = useListWebhookDeliveries(boardId, webhook.id);
  const update = useUpdateWebhook(boardId, webhook.id);
  const rotate = useRotateWebhookSecret(boardId, webhook.id);
  const sendTest = useSendWebhookTestEvent(boardId, webhook.id);
  const remove = useDeleteWebhook(boardId);
  const [outcome, setOutcome] = useState<Outcome>();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const last = deliveries.data?.[0];

  async function run(action: () => Promise<string | undefined>) {
    setOutcome(undefined);
    try {
      const text = await action();
      if (text) setOutcome({ tone: 'success', text });
    } catch (error) {
      setOutcome({ tone: 'error', text: describeWebhookError(error, t) });
    }
  }

  async function onDelete() {
    await remove.mutateAsync(webhook.id);
    setConfirmingDelete(false);
    onDeleted(webhook.url);
  }

  const columns: Column<WebhookDelivery>[] = [
    {
      label: t('tasks.settings.webhooks.deliveries.time'),
      cell: (delivery) => <DateTime value={delivery.createdAt} precision="second" />,
    },
    {
      label: t('tasks.settings.webhooks.deliveries.event'),
      cell: (delivery) => <code>{delivery.eventType}</code>,
    },
    {
      label: t('tasks.settings.webhooks.deliveries.status'),
      cell: (delivery) => <DeliveryStatus delivery={delivery} />,
    },
    {
      label: t('tasks.settings.webhooks.deliveries.response'),
      numeric: true,
      cell: (delivery) => delivery.responseStatus ?? '—',
    },
    {
      label: t('tasks.settings.webhooks.deliveries.attempts'),
      numeric: true,
      cell: (delivery) => delivery.attempts,
    },
    {
      label: t('tasks.settings.webhooks.deliveries.details'),
      details: true,
      cell: (delivery) => delivery.error ?? delivery.responseExcerpt ?? '',
    },
  ];

  return (
    <li className="settings-list__row settings-list__row--column webhook-endpoint">
      <article
        className="stack"
        aria-label={t('tasks.settings.webhooks.endpointOf', { url: webhook.url })}
      >
        <div className="settings-list__main">
          <code className="webhook-endpoint__url">{webhook.url}</code>
          <span className={`badge${webhook.enabled ? '' : ' badge--muted'}`}>
            {webhook.enabled
              ? t('tasks.settings.webhooks.state.enabled')
              : webhook.disabledReason === 'gone'
                ? t('tasks.settings.webhooks.state.gone')
                : t('tasks.settings.webhooks.state.disabled')}
          </span>
        </div>
        <p className="muted">
          {webhook.eventTypes.includes('*')
            ? t('tasks.settings.webhooks.receivesAll')
            : t('tasks.settings.webhooks.receives', { events: webhook.eventTypes.join(', ') })}
        </p>
        <p className="muted">
          {last ? (
            <>
              {t('tasks.settings.webhooks.lastDelivery', {
                status: t(STATUS_KEYS[last.status]),
                code: last.responseStatus ?? '—',
              })}{' '}
              <DateTime value={last.createdAt} relative />
            </>
          ) : deliveries.isSuccess ? (
            t('tasks.settings.webhooks.noDeliveries')
          ) : null}
        </p>
        {webhook.previousSecretExpiresAt ? (
          <p className="muted">
            {t('tasks.settings.webhooks.previousSecretUntil')}{' '}
            <DateTime value={webhook.previousSecretExpiresAt} />
          </p>
        ) : null}
        {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
        <div className="settings-list__actions">
          <button
            type="button"
            className="button button--small"
            disabled={sendTest.isPending}
            onClick={() =>
              void run(async () => {
                await sendTest.mutateAsync();
                return t('tasks.settings.webhooks.testQueued');
              })
            }
          >
            {t('tasks.settings.webhooks.sendTest')}
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={rotate.isPending}
            onClick={() =>
              void run(async () => {
                const rotated = await rotate.mutateAsync();
                onSecret({ url: rotated.webhook.url, secret: rotated.secret, reason: 'rotated' });
                return undefined;
              })
            }
          >
            {t('tasks.settings.webhooks.rotate')}
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={update.isPending}
            onClick={() =>
              void run(async () => {
                const saved = await update.mutateAsync({ enabled: !webhook.enabled });
                return saved.enabled
                  ? t('tasks.settings.webhooks.enabledNow')
                  : t('tasks.settings.webhooks.disabledNow');
              })
            }
          >
            {webhook.enabled
              ? t('tasks.settings.webhooks.disable')
              : t('tasks.settings.webhooks.enable')}
          </button>
          <button
            type="button"
            className="button button--small button--danger-quiet"
            onClick={() => {
              remove.reset();
              setConfirmingDelete(true);
            }}
          >
            {t('tasks.settings.delete')}
          </button>
        </div>

        <h4>{t('tasks.settings.webhooks.deliveries.title')}</h4>
        {deliveries.isPending ? (
          <Spinner label={t('tasks.settings.webhooks.deliveries.loading')} />
        ) : null}
        {deliveries.isError ? (
          <Alert tone="error">{describeWebhookError(deliveries.error, t)}</Alert>
        ) : null}
        {deliveries.data?.length === 0 ? (
          <p className="muted">{t('tasks.settings.webhooks.noDeliveries')}</p>
        ) : null}
        {deliveries.data?.length ? (
          <DataTable
            caption={t('tasks.settings.webhooks.deliveries.caption', { url: webhook.url })}
            columns={columns}
            rows={deliveries.data}
            rowKey={(delivery) => delivery.id}
          />
        ) : null}
      </article>

      {confirmingDelete ? (
        <ConfirmDialog
          title={t('tasks.settings.webhooks.deleteConfirmTitle', { url: webhook.url })}
          confirmLabel={t('tasks.settings.delete')}
          danger
          busy={remove.isPending}
          error={
            remove.isError ? (
              <Alert tone="error">{describeWebhookError(remove.error, t)}</Alert>
            ) : null
          }
          onConfirm={() => void onDelete().catch(() => undefined)}
          onCancel={() => setConfirmingDelete(false)}
        >
          <p>{t('tasks.settings.webhooks.deleteConfirmBody')}</p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

function DeliveryStatus({ delivery }: { delivery: WebhookDelivery }) {
  const t = useT();
  return (
    <span className={`webhook-status webhook-status--${delivery.status}`}>
      {t(STATUS_KEYS[delivery.status])}
    </span>
  );
}
