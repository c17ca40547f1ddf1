import { useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { CheckboxField } from '../../../components/checkbox-field';
import { FormField } from '../../../components/form-field';
import { useFieldForm } from '../../../components/use-field-form';
import { ApiError } from '../../../lib/problem';
import { useSignIn } from '../api/sign-in';
import { checkEmail } from '../lib/field-checks';
import { AuthCard, type AuthFlowState } from './auth-card';
import { EmailField } from './email-field';

/** Only paths inside this app, so a crafted link cannot send people elsewhere after sign-in. */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/items';
}

export function SignInPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const state = (useLocation().state ?? {}) as AuthFlowState;
  const [keepSignedIn, setKeepSignedIn] = useState(false);
  const signIn = useSignIn();
  const form = useFieldForm({ email: state.email ?? '', password: '' });
  const { email, password } = form.values;

  const onSubmit = form.handleSubmit(
    () => ({ email: checkEmail(email), password: password ? undefined : 'Enter your password.' }),
    async () => {
      await signIn.mutateAsync({ email: email.trim(), password, keepSignedIn });
      navigate(safeNext(params.get('next')), { replace: true });
    },
  );
  const unconfirmed =
    form.formError instanceof ApiError && form.formError.code === 'account_not_confirmed';

  return (
    <AuthCard
      title="Sign in"
      footer={
        <p>
          New here? <Link to="/sign-up">Create an account</Link>
        </p>
      }
    >
      <ApiForm
        form={form}
        onSubmit={onSubmit}
        errorTitle="Not signed in"
        errorDetails={
          unconfirmed ? (
            <Link to={`/confirm?email=${encodeURIComponent(email.trim())}`}>
              Enter the confirmation code
            </Link>
          ) : null
        }
        notices={
          state.message && !form.formError ? <Alert tone="success">{state.message}</Alert> : null
        }
      >
        <EmailField autoComplete="username" {...form.field('email')} />
        <FormField
          label="Password"
          type="password"
          autoComplete="current-password"
          {...form.field('password')}
          required
        />
        <CheckboxField
          label="Keep me signed in"
          hint="Stay signed in on this device for 30 days. Leave it off on shared computers."
          checked={keepSignedIn}
          onChange={(event) => setKeepSignedIn(event.target.checked)}
        />
        <div className="form__actions form__actions--spread">
          <SubmitButton busy={form.busy} busyLabel="Signing in…">
            Sign in
          </SubmitButton>
          <Link to="/forgot-password">Forgot your password?</Link>
        </div>
      </ApiForm>
    </AuthCard>
  );
}
