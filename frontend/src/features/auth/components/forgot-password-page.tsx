import { Link, useNavigate } from 'react-router';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';

import { useForgotPassword } from '../api/forgot-password';
import { checkEmail } from '../lib/field-checks';
import { AuthCard, type AuthFlowState } from './auth-card';
import { EmailField } from './email-field';

export function ForgotPasswordPage() {
  const t = useT();
  const navigate = useNavigate();
  const forgot = useForgotPassword();
  const form = useFieldForm({ email: '' });
  const { email } = form.values;

  const onSubmit = form.handleSubmit(
    () => ({ email: checkEmail(email) }),
    async () => {
      await forgot.mutateAsync({ email: email.trim() });
      navigate(`/reset-password?email=${encodeURIComponent(email.trim())}`, {
        state: {
          message: t('auth.forgot.sent'),
        } satisfies AuthFlowState,
      });
    },
  );

  return (
    <AuthCard
      title={t('auth.forgot.title')}
      intro={<p>{t('auth.forgot.intro')}</p>}
      footer={
        <p>
          {t('auth.forgot.remembered')} <Link to="/sign-in">{t('auth.signIn.action')}</Link>
        </p>
      }
    >
      <ApiForm form={form} onSubmit={onSubmit}>
        <EmailField autoComplete="email" {...form.field('email')} />
        <SubmitButton busy={form.busy} busyLabel={t('auth.forgot.sending')}>
          {t('auth.forgot.submit')}
        </SubmitButton>
      </ApiForm>
    </AuthCard>
  );
}
