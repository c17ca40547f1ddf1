import { useState } from 'react';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { FormField } from '../../../components/form-field';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import { ApiError } from '../../../lib/problem';
import { useSignInMfa } from '../api/sign-in-mfa';
import { withoutSpaces } from './code-field';

/**
 * The sign-in's second step: the authenticator app's 6-digit code, or (switched to) one of the
 * recovery codes. An exhausted or expired challenge sends the person back to the password.
 */
export function MfaStep({
  challenge,
  onSignedIn,
  onRestart,
}: {
  challenge: string;
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
  const restart =
    form.formError instanceof ApiError &&
    ['mfa_attempts_exhausted', 'invalid_mfa_challenge'].includes(form.formError.code);

  return (
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
  );
}
