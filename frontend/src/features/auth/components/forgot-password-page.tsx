import { Link, useNavigate } from 'react-router';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { useFieldForm } from '../../../components/use-field-form';
import { useForgotPassword } from '../api/forgot-password';
import { checkEmail } from '../lib/field-checks';
import { AuthCard, type AuthFlowState } from './auth-card';
import { EmailField } from './email-field';

export function ForgotPasswordPage() {
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
          message: 'If an account uses that address, we emailed it a code.',
        } satisfies AuthFlowState,
      });
    },
  );

  return (
    <AuthCard
      title="Reset your password"
      intro={
        <p>Enter your account's email address and we will send a code to set a new password.</p>
      }
      footer={
        <p>
          Remembered it? <Link to="/sign-in">Sign in</Link>
        </p>
      }
    >
      <ApiForm form={form} onSubmit={onSubmit}>
        <EmailField autoComplete="email" {...form.field('email')} />
        <SubmitButton busy={form.busy} busyLabel="Sending…">
          Send code
        </SubmitButton>
      </ApiForm>
    </AuthCard>
  );
}
