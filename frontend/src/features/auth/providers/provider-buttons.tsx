import type { ReactNode } from 'react';
import { Alert } from '../../../components/alert';
import { useT } from '../../../lib/i18n';
import { providerStartUrl, useProviders } from './api/list-providers';
import { providerErrorMessage } from './provider-error';
import { useFragment } from './use-fragment';

/**
 * "Continue with …" for each configured provider, other ways to sign in passed as `children`
 * (a passkey), then "or" before the password form; with neither, nothing. Also the error a
 * refused provider sign-in came back with (`/sign-in#error=<code>`).
 */
export function ProviderButtons({
  keepSignedIn,
  children,
}: {
  keepSignedIn: boolean;
  children?: ReactNode;
}) {
  const t = useT();
  const providers = useProviders();
  const error = useFragment().get('error');
  const list = providers.data?.providers ?? [];
  return (
    <>
      {error ? (
        <Alert tone="error" title={t('auth.providers.failed')}>
          {providerErrorMessage(t, error)}
        </Alert>
      ) : null}
      {list.length > 0 || children ? (
        <nav className="stack" aria-label={t('auth.providers.label')}>
          {list.map((provider) => (
            <a
              key={provider.id}
              className="button"
              href={providerStartUrl(provider.id, keepSignedIn)}
            >
              {t('auth.providers.continueWith', { provider: provider.displayName })}
            </a>
          ))}
          {children}
          <p className="muted">{t('auth.providers.or')}</p>
        </nav>
      ) : null}
    </>
  );
}
