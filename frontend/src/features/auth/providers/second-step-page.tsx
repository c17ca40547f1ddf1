import { Link, useNavigate } from 'react-router';
import { Alert } from '../../../components/alert';
import { useT } from '../../../lib/i18n';
import { AuthCard } from '../components/auth-card';
import { MfaStep } from '../components/mfa-step';
import { useFragment } from './use-fragment';

/**
 * The second step after a provider sign-in: the API's redirect carries the challenge in the
 * fragment (`/sign-in/second-step#challenge=…`), and the step is the password sign-in's own.
 */
export function SecondStepPage() {
  const t = useT();
  const navigate = useNavigate();
  const fragment = useFragment();
  const challenge = fragment.get('challenge');
  const methods = fragment.get('methods')?.split(' ');
  return (
    <AuthCard title={t('auth.mfa.title')}>
      {challenge ? (
        <MfaStep
          challenge={challenge}
          methods={methods}
          onSignedIn={() => navigate('/', { replace: true })}
          onRestart={() => navigate('/sign-in', { replace: true })}
        />
      ) : (
        <Alert tone="error" title={t('auth.providers.secondStep.missing')}>
          <Link to="/sign-in">{t('auth.providers.backToSignIn')}</Link>
        </Alert>
      )}
    </AuthCard>
  );
}
