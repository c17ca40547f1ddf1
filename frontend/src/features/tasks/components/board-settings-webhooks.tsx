import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { useListWebhooks } from '../api/list-webhooks';
import { WebhookEndpoint } from './board-settings-webhook-endpoint';
import { WebhookCreateForm } from './board-settings-webhook-form';
import { type RevealedSecret, WebhookSecretNotice } from './board-settings-webhook-secret';
import { describeWebhookError, isWebhooksDisabled } from './webhook-errors';

/**
 * Outgoing webhooks (supervisors only): the endpoints, their deliveries, and a form to add one.
 * A server without WEBHOOKS_ENCRYPTION_KEY answers 503 `webhooks_disabled`; then the section
 * says so instead of offering a form every request of which would fail.
 */
export function BoardSettingsWebhooks({ boardId }: { boardId: string }) {
  const t = useT();
  const webhooks = useListWebhooks(boardId);
  const [revealed, setRevealed] = useState<RevealedSecret>();
  const [deleted, setDeleted] = useState<string>();

  function reveal(secret: RevealedSecret) {
    setDeleted(undefined);
    setRevealed(secret);
  }

  return (
    <section className="card stack" aria-labelledby="board-webhooks-heading">
      <h2 id="board-webhooks-heading">{t('tasks.settings.webhooks.title')}</h2>
      <p className="muted">{t('tasks.settings.webhooks.intro')}</p>
      {webhooks.isPending ? <Spinner label={t('tasks.settings.webhooks.loading')} /> : null}
      {webhooks.isError && isWebhooksDisabled(webhooks.error) ? (
        <Alert tone="info" title={t('tasks.settings.webhooks.disabled.title')}>
          {t('tasks.settings.webhooks.disabled.body')}
        </Alert>
      ) : null}
      {webhooks.isError && !isWebhooksDisabled(webhooks.error) ? (
        <Alert tone="error">{describeWebhookError(webhooks.error, t)}</Alert>
      ) : null}
      {revealed ? (
        <WebhookSecretNotice revealed={revealed} onDismiss={() => setRevealed(undefined)} />
      ) : null}
      {deleted ? (
        <Alert tone="success">{t('tasks.settings.webhooks.deleted', { url: deleted })}</Alert>
      ) : null}
      {webhooks.data?.length === 0 ? (
        <p className="muted">{t('tasks.settings.webhooks.none')}</p>
      ) : null}
      {webhooks.data?.length ? (
        <ul className="settings-list" aria-label={t('tasks.settings.webhooks.list')}>
          {webhooks.data.map((webhook) => (
            <WebhookEndpoint
              key={webhook.id}
              boardId={boardId}
              webhook={webhook}
              onSecret={reveal}
              onDeleted={(url) => {
                setRevealed(undefined);
                setDeleted(url);
              }}
            />
          ))}
        </ul>
      ) : null}
      {webhooks.isSuccess ? (
        <>
          <h3>{t('tasks.settings.webhooks.addTitle')}</h3>
          <WebhookCreateForm boardId={boardId} onCreated={reveal} />
        </>
      ) : null}
    </section>
  );
}
