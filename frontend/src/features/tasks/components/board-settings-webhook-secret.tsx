import { useState } from 'react';
import { FormField } from '../../../components/form-field';
import { useT } from '../../../lib/i18n';

export interface RevealedSecret {
  url: string;
  secret: string;
  /** Whether the endpoint was just created or its secret rotated. */
  reason: 'created' | 'rotated';
}

/** The signing secret, shown once after create or rotate; the server never sends it again. */
export function WebhookSecretNotice({
  revealed,
  onDismiss,
}: {
  revealed: RevealedSecret;
  onDismiss: () => void;
}) {
  const t = useT();
  const [copy, setCopy] = useState<'copied' | 'failed'>();

  async function copySecret() {
    try {
      await navigator.clipboard.writeText(revealed.secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }

  return (
    <div className="alert alert--success webhook-secret" role="status">
      <p className="alert__title">
        {revealed.reason === 'created'
          ? t('tasks.settings.webhooks.secret.createdTitle', { url: revealed.url })
          : t('tasks.settings.webhooks.secret.rotatedTitle', { url: revealed.url })}
      </p>
      <div className="alert__body stack">
        <p>
          <strong>{t('tasks.settings.webhooks.secret.once')}</strong>{' '}
          {revealed.reason === 'rotated' ? t('tasks.settings.webhooks.secret.overlap') : null}
        </p>
        <FormField
          label={t('tasks.settings.webhooks.secret.label')}
          className="webhook-secret__value"
          value={revealed.secret}
          readOnly
          onFocus={(event) => event.currentTarget.select()}
        />
        <div className="settings-list__actions">
          <button type="button" className="button button--small" onClick={() => void copySecret()}>
            {t('tasks.settings.webhooks.secret.copy')}
          </button>
          <button type="button" className="button button--small" onClick={onDismiss}>
            {t('tasks.settings.webhooks.secret.dismiss')}
          </button>
          {copy === 'copied' ? (
            <span className="muted">{t('tasks.settings.webhooks.secret.copied')}</span>
          ) : null}
          {copy === 'failed' ? (
            <span className="field__error">{t('tasks.settings.webhooks.secret.copyFailed')}</span>
          ) : null}
        </div>
      </div>
    </div>
  );
}
