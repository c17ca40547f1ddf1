import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { checkNewPassword, NewPasswordField } from '../../../components/new-password-field';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';

import { useResetPassword } from '../api/reset-password';
import { checkCode, checkEmail } from '../lib/field-checks';
import { AuthCard, type AuthFlowState } from './auth-card';
import { CodeField, withoutSpaces } from './code-field';
import { EmailField } from './email-field';

export function ResetPasswordPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const state = (useLocation().state ?? {}) as AuthFlowState;
  const reset = useResetPassword();
  const form = useFieldForm({ email: params.get('email') ?? '', code: '', newPassword: '' });
  const { email, code, newPassword } = form.values;

  const onSubmit = form.handleSubmit(
    () => ({
      email: checkEmail(email),
      code: checkCode(code),
      newPassword: checkNewPassword(newPassword),
    }),
    async () => {
      await reset.mutateAsync({ email: email.trim(), code: code.trim(), newPassword });
      navigate('/sign-in', {
        state: {
          email: email.trim(),
          message: t('auth.reset.done'),
        } satisfies AuthFlowState,
      });
    },
  );

  return (
    <AuthCard
      title={t('auth.reset.title')}
      footer={
        <p>
          {t('auth.reset.noCode')} <Link to="/forgot-password">{t('auth.reset.sendAnother')}</Link>
        </p>
      }
    >
      <ApiForm
        form={form}
        onSubmit={onSubmit}
        errorTitle={t('auth.reset.failed')}
        notices={
          state.message && !form.formError ? <Alert tone="info">{state.message}</Alert> : null
        }
      >
        <EmailField autoComplete="username" {...form.field('email')} />
        <CodeField {...form.field('code', withoutSpaces)} />
        <NewPasswordField label={t('auth.newPassword')} {...form.field('newPassword')} />
        <SubmitButton busy={form.busy} busyLabel={t('auth.reset.saving')}>
          {t('auth.reset.submit')}
        </SubmitButton>
      </ApiForm>
    </AuthCard>
  );
}
