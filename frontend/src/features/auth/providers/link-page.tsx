import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { FormField } from '../../../components/form-field';
import { useFieldForm } from '../../../components/use-field-form';
import { type Translate, useT } from '../../../lib/i18n';
import { ApiError } from '../../../lib/problem';
import { isMfaChallenge, type MfaChallenge } from '../api/sign-in';
import { AuthCard } from '../components/auth-card';
import { withoutSpaces } from '../components/code-field';
import { MfaStep } from '../components/mfa-step';
import { useProviders } from './api/list-providers';
import { type LinkProof, useProveLink, useSendLinkCode } from './api/prove-link';
import { useFragment } from './use-fragment';

/** The refusals a person can act on, in their language; anything else keeps the API's words. */
function translated(t: Translate, error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const detail =
    error.code === 'invalid_credentials'
      ? t('auth.providers.link.wrongPassword')
      : error.code === 'invalid_code'
        ? t('auth.providers.link.wrongCode')
        : error.code === 'invalid_link_request'
          ? t('auth.providers.error.linkRequestExpired')
          : error.code === 'identity_already_linked'
            ? t('auth.providers.error.alreadyLinked')
            : undefined;
  return detail
    ? new ApiError(error.status, { ...error.problem, detail }, error.retryAfterSeconds)
    : error;
}

function ProofForms({
  token,
  hasPassword,
  onChallenge,
  onSignedIn,
}: {
  token: string;
  hasPassword: boolean;
  onChallenge(challenge: MfaChallenge): void;
  onSignedIn(): void;
}) {
  const t = useT();
  const prove = useProveLink();
  const sendCode = useSendLinkCode();
  const [codeSent, setCodeSent] = useState(false);
  const byPassword = useFieldForm({ password: '' });
  const byCode = useFieldForm({ code: '' });
  const request = useFieldForm({});

  async function send(proof: LinkProof) {
    try {
      const result = await prove.mutateAsync(proof);
      if (isMfaChallenge(result)) onChallenge(result);
      else onSignedIn();
    } catch (error) {
      throw translated(t, error);
    }
  }

  const onPassword = byPassword.handleSubmit(
    () => ({
      password: byPassword.values.password ? undefined : t('auth.check.passwordRequired'),
    }),
    () => send({ token, method: 'password', password: byPassword.values.password }),
  );
  const onRequestCode = request.handleSubmit(
    () => ({}),
    async () => {
      try {
        await sendCode.mutateAsync(token);
      } catch (error) {
        throw translated(t, error);
      }
      setCodeSent(true);
    },
  );
  const onCode = byCode.handleSubmit(
    () => ({ code: /^\d{6}$/.test(byCode.values.code) ? undefined : t('auth.check.code') }),
    () => send({ token, method: 'code', code: byCode.values.code }),
  );

  return (
    <div className="stack">
      {hasPassword ? (
        <ApiForm
          form={byPassword}
          onSubmit={onPassword}
          errorTitle={t('auth.providers.link.failed')}
        >
          <FormField
            label={t('auth.password')}
            type="password"
            autoComplete="current-password"
            {...byPassword.field('password')}
            required
          />
          <div className="form__actions">
            <SubmitButton busy={byPassword.busy} busyLabel={t('auth.providers.link.linking')}>
              {t('auth.providers.link.withPassword')}
            </SubmitButton>
          </div>
        </ApiForm>
      ) : null}
      {codeSent ? (
        <ApiForm
          form={byCode}
          onSubmit={onCode}
          errorTitle={t('auth.providers.link.failed')}
          notices={<Alert tone="success">{t('auth.providers.link.codeSent')}</Alert>}
        >
          <FormField
            label={t('auth.code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            className="field--narrow"
            required
            {...byCode.field('code', withoutSpaces)}
          />
          <div className="form__actions">
            <SubmitButton busy={byCode.busy} busyLabel={t('auth.providers.link.linking')}>
              {t('auth.providers.link.withCode')}
            </SubmitButton>
          </div>
        </ApiForm>
      ) : (
        <ApiForm
          form={request}
          onSubmit={onRequestCode}
          errorTitle={t('auth.providers.link.failed')}
        >
          <p className="muted">
            {hasPassword ? t('auth.providers.link.orCode') : t('auth.providers.link.codeOnly')}
          </p>
          <div className="form__actions">
            <button type="submit" className="button" disabled={request.busy}>
              {request.busy ? t('auth.providers.link.sending') : t('auth.providers.link.emailCode')}
            </button>
          </div>
        </ApiForm>
      )}
    </div>
  );
}

/**
 * The provider's verified address matched an account already here: linking waits for proof of
 * that account (`/sign-in/link#token=…&provider=…&email=…&password=true|false`), by its
 * password or a code emailed to it; then the sign-in goes on as any other (second step too).
 */
export function LinkPage() {
  const t = useT();
  const navigate = useNavigate();
  const fragment = useFragment();
  const token = fragment.get('token');
  const providerId = fragment.get('provider') ?? '';
  const email = fragment.get('email') ?? '';
  const providers = useProviders();
  const provider =
    providers.data?.providers.find((entry) => entry.id === providerId)?.displayName ?? providerId;
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const done = () => navigate('/', { replace: true });

  if (challenge) {
    return (
      <AuthCard title={t('auth.mfa.title')}>
        <MfaStep
          challenge={challenge.challenge}
          methods={challenge.methods}
          onSignedIn={done}
          onRestart={() => navigate('/sign-in', { replace: true })}
        />
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={t('auth.providers.link.title', { provider })}
      intro={token ? <p>{t('auth.providers.link.intro', { provider, email })}</p> : undefined}
      footer={<Link to="/sign-in">{t('auth.providers.backToSignIn')}</Link>}
    >
      {token ? (
        <ProofForms
          token={token}
          hasPassword={fragment.get('password') === 'true'}
          onChallenge={setChallenge}
          onSignedIn={done}
        />
      ) : (
        <Alert tone="error">{t('auth.providers.error.linkRequestExpired')}</Alert>
      )}
    </AuthCard>
  );
}
