import { Link, useNavigate } from 'react-router';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { checkNewPassword, NewPasswordField } from '../../../components/new-password-field';
import { useFieldForm } from '../../../components/use-field-form';
import { useSignUp } from '../api/sign-up';
import { checkEmail } from '../lib/field-checks';
import { AuthCard, type AuthFlowState } from './auth-card';
import { EmailField } from './email-field';

export function SignUpPage() {
  const navigate = useNavigate();
  const signUp = useSignUp();
  const form = useFieldForm({ email: '', password: '' });
  const { email, password } = form.values;

  const onSubmit = form.handleSubmit(
    () => ({ email: checkEmail(email), password: checkNewPassword(password) }),
    async () => {
      const locale = navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
      const { confirmation } = await signUp.mutateAsync({ email: email.trim(), password, locale });
      if (confirmation === 'none') {
        navigate('/sign-in', {
          state: {
            email: email.trim(),
            message: 'Account created. Sign in.',
          } satisfies AuthFlowState,
        });
      } else {
        navigate(`/confirm?email=${encodeURIComponent(email.trim())}`, {
          state: { codeSent: true } satisfies AuthFlowState,
        });
      }
    },
  );

  return (
    <AuthCard
      title="Create an account"
      footer={
        <p>
          Already have one? <Link to="/sign-in">Sign in</Link>
        </p>
      }
    >
      <ApiForm form={form} onSubmit={onSubmit} errorTitle="Not signed up">
        <EmailField autoComplete="email" {...form.field('email')} />
        <NewPasswordField label="Password" {...form.field('password')} />
        <SubmitButton busy={form.busy} busyLabel="Creating…">
          Create account
        </SubmitButton>
      </ApiForm>
    </AuthCard>
  );
}
