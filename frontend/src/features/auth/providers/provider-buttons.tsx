import { Alert } from '../../../components/alert';
import { useT } from '../../../lib/i18n';
import { providerStartUrl, useProviders } from './api/list-providers';
import { providerErrorMessage } from './provider-error';
import { useFragment } from './use-fragment';

/**
 * "Continue with …" for each configured provider (none configured: nothing), and the error a
 * refused provider sign-in came back with (`/sign-in#error=<code>`).
 */
export function ProviderButtons({ keepSignedIn }: { keepSignedIn: boolean }) {
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
      {list.length > 0 ? (
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
          <p className="muted">{t('auth.providers.or')}</p>
        </nav>
      ) : null}
    </>
  );
}
