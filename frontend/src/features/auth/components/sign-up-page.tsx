import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { checkNewPassword, NewPasswordField } from '../../../components/new-password-field';
import { useFieldForm } from '../../../components/use-field-form';
import { currentLocale, useT } from '../../../lib/i18n';
import { useSignUp } from '../api/sign-up';
import { checkEmail } from '../lib/field-checks';
import { AuthCard, type AuthFlowState } from './auth-card';
import { EmailField } from './email-field';
import { nextQuery } from './sign-in-page';

export function SignUpPage() {
  const t = useT();
  const navigate = useNavigate();
  const signUp = useSignUp();
  // A page that sent the visitor here (an invitation link) names itself as `next`: it is kept
  // through confirmation and sign-in, and may suggest the address (`email`).
  const [params] = useSearchParams();
  const next = nextQuery(params.get('next'));
  const form = useFieldForm({ email: params.get('email') ?? '', password: '' });
  const { email, password } = form.values;

  const onSubmit = form.handleSubmit(
    () => ({ email: checkEmail(email), password: checkNewPassword(password) }),
    async () => {
      // The account's emails (the confirmation code first) speak the language of this page.
      const locale = currentLocale();
      const { confirmation } = await signUp.mutateAsync({ email: email.trim(), password, locale });
      if (confirmation === 'none') {
        navigate(`/sign-in${next ? `?${next}` : ''}`, {
          state: {
            email: email.trim(),
            message: t('auth.signUp.created'),
          } satisfies AuthFlowState,
        });
      } else {
        navigate(`/confirm?email=${encodeURIComponent(email.trim())}${next ? `&${next}` : ''}`, {
          state: { codeSent: true } satisfies AuthFlowState,
        });
      }
    },
  );

  return (
    <AuthCard
      title={t('auth.signUp.title')}
      footer={
        <p>
          {t('auth.signUp.haveAccount')}{' '}
          <Link to={`/sign-in${next ? `?${next}` : ''}`}>{t('auth.signIn.action')}</Link>
        </p>
      }
    >
      <ApiForm form={form} onSubmit={onSubmit} errorTitle={t('auth.signUp.failed')}>
        <EmailField autoComplete="email" {...form.field('email')} />
        <NewPasswordField label={t('auth.password')} {...form.field('password')} />
        <SubmitButton busy={form.busy} busyLabel={t('auth.signUp.creating')}>
          {t('auth.signUp.submit')}
        </SubmitButton>
      </ApiForm>
    </AuthCard>
  );
}
