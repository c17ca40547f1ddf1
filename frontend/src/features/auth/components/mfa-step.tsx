import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { FormField } from '../../../components/form-field';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import { ApiError } from '../../../lib/problem';
import { useSignInMfa } from '../api/sign-in-mfa';
import { passkeysSupported, usePasskeySecondStep } from '../passkeys/api/passkeys';
import { passkeyErrorMessage } from '../passkeys/passkey-error';
import { withoutSpaces } from './code-field';

const RESTART_CODES = ['mfa_attempts_exhausted', 'invalid_mfa_challenge'];

/** "Use a passkey", when the account has one: the browser's prompt answers the step. */
function PasskeyOption({
  challenge,
  onSignedIn,
  onRestart,
}: {
  challenge: string;
  onSignedIn(): void;
  onRestart(): void;
}) {
  const t = useT();
  const step = usePasskeySecondStep();
  const restart = step.error instanceof ApiError && RESTART_CODES.includes(step.error.code);
  return (
    <div className="stack">
      <p className="muted">{t('auth.passkeys.secondStepIntro')}</p>
      {step.isError ? (
        <Alert tone="error" title={t('auth.mfa.failed')}>
          <p>{passkeyErrorMessage(t, step.error)}</p>
          {restart ? (
            <button type="button" className="button--link" onClick={onRestart}>
              {t('auth.mfa.restart')}
            </button>
          ) : null}
        </Alert>
      ) : null}
      <div className="form__actions">
        <button
          type="button"
          className="button"
          disabled={step.isPending}
          aria-busy={step.isPending}
          onClick={() => step.mutate({ challenge }, { onSuccess: onSignedIn })}
        >
          {step.isPending ? t('auth.passkeys.waiting') : t('auth.passkeys.secondStep')}
        </button>
      </div>
    </div>
  );
}

/**
 * The sign-in's second step: the authenticator app's 6-digit code, or (switched to) one of the
 * recovery codes; or one of the account's passkeys when `methods` offers it. An exhausted or
 * expired challenge sends the person back to the password.
 */
export function MfaStep({
  challenge,
  methods = [],
  onSignedIn,
  onRestart,
}: {
  challenge: string;
  /** The challenge's `methods`; `passkey` adds the passkey option. */
  methods?: readonly string[] | undefined;
  onSignedIn(): void;
  onRestart(): void;
}) {
  const t = useT();
  const [method, setMethod] = useState<'totp' | 'recovery_code'>('totp');
  const signIn = useSignInMfa();
  const form = useFieldForm({ code: '' });
  const { code } = form.values;
  const onSubmit = form.handleSubmit(
    () => ({
      code:
        method === 'totp'
          ? /^\d{6}$/.test(code)
            ? undefined
            : t('auth.mfa.check.totp')
          : code.trim().length >= 8
            ? undefined
            : t('auth.mfa.check.recovery'),
    }),
    async () => {
      await signIn.mutateAsync({ challenge, method, code: code.trim() });
      onSignedIn();
    },
  );
  const restart = form.formError instanceof ApiError && RESTART_CODES.includes(form.formError.code);

  return (
    <>
      <ApiForm
        form={form}
        onSubmit={onSubmit}
        errorTitle={t('auth.mfa.failed')}
        errorDetails={
          restart ? (
            <button type="button" className="button--link" onClick={onRestart}>
              {t('auth.mfa.restart')}
            </button>
          ) : null
        }
      >
        <p>{method === 'totp' ? t('auth.mfa.totpIntro') : t('auth.mfa.recoveryIntro')}</p>
        {method === 'totp' ? (
          <FormField
            label={t('auth.mfa.totpLabel')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            className="field--narrow"
            required
            {...form.field('code', withoutSpaces)}
          />
        ) : (
          <FormField
            label={t('auth.mfa.recoveryLabel')}
            autoComplete="off"
            maxLength={40}
            required
            {...form.field('code')}
          />
        )}
        <div className="form__actions form__actions--spread">
          <SubmitButton busy={form.busy} busyLabel={t('auth.signIn.signingIn')}>
            {t('auth.mfa.submit')}
          </SubmitButton>
          <button
            type="button"
            className="button--link"
            onClick={() => {
              setMethod(method === 'totp' ? 'recovery_code' : 'totp');
              form.setValues({ code: '' });
            }}
          >
            {method === 'totp' ? t('auth.mfa.useRecovery') : t('auth.mfa.useTotp')}
          </button>
        </div>
      </ApiForm>
      {methods.includes('passkey') && passkeysSupported() ? (
        <PasskeyOption challenge={challenge} onSignedIn={onSignedIn} onRestart={onRestart} />
      ) : null}
    </>
  );
}
