import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { CheckboxField } from '../../../components/checkbox-field';
import { FormField } from '../../../components/form-field';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import { ApiError } from '../../../lib/problem';
import { isMfaChallenge, type MfaChallenge, useSignIn } from '../api/sign-in';
import { useUnlockAccount } from '../api/unlock-account';
import { checkEmail } from '../lib/field-checks';
import { passkeysSupported } from '../passkeys/api/passkeys';
import { PasskeySignInButton } from '../passkeys/passkey-sign-in-button';
import { ProviderButtons } from '../providers/provider-buttons';
import { AuthCard, type AuthFlowState } from './auth-card';
import { EmailField } from './email-field';
import { MfaStep } from './mfa-step';

/** Only paths inside this app, so a crafted link cannot send people elsewhere after sign-in. */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/items';
}

/** `next=<path>` to pass a same-app return path on to the next page of the flow, else "". */
export function nextQuery(next: string | null): string {
  return next && safeNext(next) === next ? `next=${encodeURIComponent(next)}` : '';
}

export function SignInPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const nextParam = nextQuery(params.get('next'));
  const state = (useLocation().state ?? {}) as AuthFlowState;
  const [keepSignedIn, setKeepSignedIn] = useState(false);
  const signIn = useSignIn();
  const form = useFieldForm({ email: state.email ?? '', password: '' });
  const { email, password } = form.values;
  const unlock = useUnlockAccount();
  const unlockToken = useRef(params.get('unlock'));
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const signedIn = () => navigate(safeNext(params.get('next')), { replace: true });

  // The emailed unlock link opens this page with ?unlock=<token>: post it once, then drop it from
  // the address so a reload or a shared screenshot carries no token.
  useEffect(() => {
    const token = unlockToken.current;
    if (!token) return;
    unlockToken.current = null;
    unlock.mutate({ token });
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete('unlock');
        return next;
      },
      { replace: true },
    );
  }, [unlock, setParams]);

  const onSubmit = form.handleSubmit(
    () => ({
      email: checkEmail(email),
      password: password ? undefined : t('auth.check.passwordRequired'),
    }),
    async () => {
      const result = await signIn.mutateAsync({ email: email.trim(), password, keepSignedIn });
      if (isMfaChallenge(result)) {
        setChallenge(result);
        return;
      }
      signedIn();
    },
  );
  const unconfirmed =
    form.formError instanceof ApiError && form.formError.code === 'account_not_confirmed';

  if (challenge) {
    return (
      <AuthCard title={t('auth.mfa.title')}>
        <MfaStep
          challenge={challenge.challenge}
          methods={challenge.methods}
          onSignedIn={signedIn}
          onRestart={() => {
            setChallenge(null);
            form.setValues({ email, password: '' });
          }}
        />
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={t('auth.signIn.title')}
      footer={
        <p>
          {t('auth.signIn.newHere')}{' '}
          <Link to={`/sign-up${nextParam ? `?${nextParam}` : ''}`}>
            {t('auth.signIn.createAccount')}
          </Link>
        </p>
      }
    >
      <ProviderButtons keepSignedIn={keepSignedIn}>
        {passkeysSupported() ? (
          <PasskeySignInButton
            keepSignedIn={keepSignedIn}
            onSignedIn={signedIn}
            onChallenge={setChallenge}
          />
        ) : null}
      </ProviderButtons>
      <ApiForm
        form={form}
        onSubmit={onSubmit}
        errorTitle={t('auth.signIn.failed')}
        errorDetails={
          unconfirmed ? (
            <Link
              to={`/confirm?email=${encodeURIComponent(email.trim())}${nextParam ? `&${nextParam}` : ''}`}
            >
              {t('auth.signIn.enterCode')}
            </Link>
          ) : null
        }
        notices={
          <>
            {unlock.isSuccess ? <Alert tone="success">{t('auth.unlock.done')}</Alert> : null}
            {unlock.isError ? (
              <Alert tone="error" title={t('auth.unlock.failed')}>
                {unlock.error instanceof ApiError && unlock.error.code === 'invalid_unlock_token'
                  ? t('auth.unlock.invalid')
                  : unlock.error.message}
              </Alert>
            ) : null}
            {state.message && !form.formError ? (
              <Alert tone="success">{state.message}</Alert>
            ) : null}
          </>
        }
      >
        <EmailField autoComplete="username" {...form.field('email')} />
        <FormField
          label={t('auth.password')}
          type="password"
          autoComplete="current-password"
          {...form.field('password')}
          required
        />
        <CheckboxField
          label={t('auth.signIn.keep')}
          hint={t('auth.signIn.keepHint')}
          checked={keepSignedIn}
          onChange={(event) => setKeepSignedIn(event.target.checked)}
        />
        <div className="form__actions form__actions--spread">
          <SubmitButton busy={form.busy} busyLabel={t('auth.signIn.signingIn')}>
            {t('auth.signIn.action')}
          </SubmitButton>
          <Link to="/forgot-password">{t('auth.signIn.forgot')}</Link>
        </div>
      </ApiForm>
    </AuthCard>
  );
}
