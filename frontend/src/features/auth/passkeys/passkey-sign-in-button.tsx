import { Alert } from '../../../components/alert';
import { useT } from '../../../lib/i18n';
import { isMfaChallenge, type MfaChallenge } from '../api/sign-in';
import { useSignInWithPasskey } from './api/passkeys';
import { passkeyErrorMessage } from './passkey-error';

/**
 * "Sign in with a passkey": the browser lists this site's passkeys, no email needed (the page
 * shows it only where `passkeysSupported()`). A passkey without user verification meets the
 * second step.
 */
export function PasskeySignInButton({
  keepSignedIn,
  onSignedIn,
  onChallenge,
}: {
  keepSignedIn: boolean;
  onSignedIn(): void;
  onChallenge(challenge: MfaChallenge): void;
}) {
  const t = useT();
  const signIn = useSignInWithPasskey();
  return (
    <div className="stack">
      {signIn.isError ? (
        <Alert tone="error" title={t('auth.passkeys.signInFailed')}>
          {passkeyErrorMessage(t, signIn.error)}
        </Alert>
      ) : null}
      <button
        type="button"
        className="button"
        disabled={signIn.isPending}
        aria-busy={signIn.isPending}
        onClick={() =>
          signIn.mutate(
            { keepSignedIn },
            {
              onSuccess: (result) => (isMfaChallenge(result) ? onChallenge(result) : onSignedIn()),
            },
          )
        }
      >
        {signIn.isPending ? t('auth.passkeys.waiting') : t('auth.passkeys.signIn')}
      </button>
    </div>
  );
}
