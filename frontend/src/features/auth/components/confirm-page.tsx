import { useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import { ApiError } from '../../../lib/problem';
import { useConfirmSignUp } from '../api/confirm-sign-up';
import { useResendCode } from '../api/resend-code';
import { useCooldown } from '../hooks/use-cooldown';
import { checkCode, checkEmail } from '../lib/field-checks';
import { AuthCard, type AuthFlowState } from './auth-card';
import { CodeField, withoutSpaces } from './code-field';
import { EmailField } from './email-field';
import { nextQuery } from './sign-in-page';

/** Seconds between resends, so a code is not requested again before the last one could arrive. */
export const RESEND_COOLDOWN_SECONDS = 30;

export function ConfirmPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const state = (useLocation().state ?? {}) as AuthFlowState;
  const [notice, setNotice] = useState<string>();
  const [resendProblem, setResendProblem] = useState<string>();
  const confirm = useConfirmSignUp();
  const resend = useResendCode();
  const cooldown = useCooldown(state.codeSent ? RESEND_COOLDOWN_SECONDS : 0);
  const form = useFieldForm({ email: params.get('email') ?? '', code: '' });
  const { email, code } = form.values;

  const onSubmit = form.handleSubmit(
    () => ({ email: checkEmail(email), code: checkCode(code) }),
    async () => {
      await confirm.mutateAsync({ email: email.trim(), code: code.trim() });
      const next = nextQuery(params.get('next'));
      navigate(`/sign-in${next ? `?${next}` : ''}`, {
        state: {
          email: email.trim(),
          message: t('auth.confirm.done'),
        } satisfies AuthFlowState,
      });
    },
  );

  async function onResend() {
    if (cooldown.remaining > 0 || resend.isPending) return;
    setNotice(undefined);
    setResendProblem(undefined);
    form.setFormError(null);
    const emailProblem = checkEmail(email);
    if (emailProblem) {
      setResendProblem(t('auth.confirm.resendNeedsEmail', { problem: emailProblem }));
      return;
    }
    try {
      await resend.mutateAsync({ email: email.trim() });
      setNotice(t('auth.confirm.resent'));
      cooldown.start(RESEND_COOLDOWN_SECONDS);
    } catch (error) {
      form.setFormError(error);
      if (error instanceof ApiError && error.retryAfterSeconds) {
        cooldown.start(error.retryAfterSeconds);
      }
    }
  }

  return (
    <AuthCard
      title={t('auth.confirm.title')}
      intro={<p>{t('auth.confirm.intro')}</p>}
      footer={
        <p>
          {t('auth.confirm.already')} <Link to="/sign-in">{t('auth.signIn.action')}</Link>
        </p>
      }
    >
      <ApiForm
        form={form}
        onSubmit={onSubmit}
        errorTitle={t('auth.confirm.failed')}
        notices={
          <>
            {notice ? <Alert tone="success">{notice}</Alert> : null}
            {resendProblem ? <Alert tone="error">{resendProblem}</Alert> : null}
          </>
        }
      >
        <EmailField autoComplete="email" {...form.field('email')} />
        <CodeField {...form.field('code', withoutSpaces)} />
        <div className="form__actions">
          <SubmitButton busy={form.busy} busyLabel={t('auth.confirm.confirming')}>
            {t('auth.confirm.submit')}
          </SubmitButton>
          <button
            type="button"
            className="button"
            onClick={onResend}
            aria-disabled={cooldown.remaining > 0 || resend.isPending}
            disabled={resend.isPending}
          >
            {cooldown.remaining > 0
              ? t('auth.confirm.resendIn', { seconds: cooldown.remaining })
              : t('auth.confirm.resend')}
          </button>
        </div>
      </ApiForm>
    </AuthCard>
  );
}
