import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { DateTime } from '../../../components/date-time';
import type { components } from '../../../lib/api-schema';
import { type Translate, useT } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';
import { useIdentities, useLinkIdentity, useUnlinkIdentity } from './api/identities';
import { useProviders } from './api/list-providers';
import { providerErrorMessage } from './provider-error';
import { useFragment } from './use-fragment';

type Identity = components['schemas']['Identity'];

function unlinkError(t: Translate, error: unknown): string {
  return error instanceof ApiError && error.code === 'last_sign_in_method'
    ? t('auth.providers.linked.lastMethod')
    : describeError(error);
}

/**
 * The account page's "Linked accounts": the providers one can sign in with, linking another
 * (a round trip to the provider, back to `/account#linked=<id>` or `#link_error=<code>`) and
 * unlinking one, which the API refuses for the last way to sign in.
 */
export function LinkedAccountsSection() {
  const t = useT();
  const fragment = useFragment();
  const linked = fragment.get('linked');
  const linkError = fragment.get('link_error');
  const identities = useIdentities();
  const providers = useProviders();
  const link = useLinkIdentity();
  const unlink = useUnlinkIdentity();
  const [unlinking, setUnlinking] = useState<Identity | null>(null);

  const list = identities.data?.identities ?? [];
  const linkable = (providers.data?.providers ?? []).filter(
    (provider) => !list.some((identity) => identity.provider === provider.id),
  );
  const linkedName =
    providers.data?.providers.find((provider) => provider.id === linked)?.displayName ?? linked;

  return (
    <section className="card stack" aria-labelledby="linked-accounts-heading">
      <h2 id="linked-accounts-heading">{t('auth.providers.linked.title')}</h2>
      {linked ? (
        <Alert tone="success">{t('auth.providers.linked.done', { provider: linkedName })}</Alert>
      ) : null}
      {linkError ? (
        <Alert tone="error" title={t('auth.providers.linked.linkFailed')}>
          {providerErrorMessage(t, linkError)}
        </Alert>
      ) : null}
      {link.isError ? (
        <Alert tone="error" title={t('auth.providers.linked.linkFailed')}>
          {describeError(link.error)}
        </Alert>
      ) : null}
      {identities.isError ? (
        <Alert tone="error">{describeError(identities.error)}</Alert>
      ) : identities.isPending ? null : list.length === 0 ? (
        <p className="muted">{t('auth.providers.linked.none')}</p>
      ) : (
        <ul className="stack" aria-label={t('auth.providers.linked.title')}>
          {list.map((identity) => (
            <li key={identity.id} className="form__actions form__actions--spread">
              <span>
                <strong>{identity.displayName}</strong>
                {identity.email ? (
                  <>
                    {' '}
                    <span className="break-anywhere">{identity.email}</span>
                  </>
                ) : null}
                <br />
                <span className="muted">
                  {t('auth.providers.linked.since')}{' '}
                  <DateTime value={identity.createdAt} precision="day" />
                </span>
              </span>
              <button
                type="button"
                className="button"
                onClick={() => {
                  unlink.reset();
                  setUnlinking(identity);
                }}
              >
                {t('auth.providers.linked.unlink', { provider: identity.displayName })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {linkable.length > 0 ? (
        <div className="form__actions">
          {linkable.map((provider) => (
            <button
              key={provider.id}
              type="button"
              className="button"
              disabled={link.isPending}
              onClick={() =>
                link.mutate(provider.id, {
                  onSuccess: ({ url }) => window.location.assign(url),
                })
              }
            >
              {t('auth.providers.linked.link', { provider: provider.displayName })}
            </button>
          ))}
        </div>
      ) : null}
      {unlinking ? (
        <ConfirmDialog
          title={t('auth.providers.linked.confirmTitle', { provider: unlinking.displayName })}
          confirmLabel={t('auth.providers.linked.confirm')}
          danger
          busy={unlink.isPending}
          error={
            unlink.isError ? (
              <Alert tone="error" title={t('auth.providers.linked.unlinkFailed')}>
                {unlinkError(t, unlink.error)}
              </Alert>
            ) : null
          }
          onConfirm={() => unlink.mutate(unlinking.id, { onSuccess: () => setUnlinking(null) })}
          onCancel={() => setUnlinking(null)}
        >
          <p>{t('auth.providers.linked.confirmBody', { provider: unlinking.displayName })}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
