import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { sessionStore } from '../../../lib/session-store';

export interface SignInInput {
  email: string;
  password: string;
  keepSignedIn: boolean;
}

export type MfaChallenge = components['schemas']['MfaChallenge'];

export function isMfaChallenge(result: object): result is MfaChallenge {
  return 'mfaRequired' in result && result.mfaRequired === true;
}

/**
 * The refresh token comes back only as the httpOnly cookie; the access token stays in memory.
 * With two-step sign-in on, the answer is a challenge instead, for `useSignInMfa`.
 */
export async function signIn(input: SignInInput) {
  return dataOrThrow(
    await apiClient.POST('/api/auth/sign-in', { body: { ...input, refreshTokenIn: 'cookie' } }),
  );
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    onSuccess: (result) => {
      if (isMfaChallenge(result)) return;
      // Whatever was cached belonged to whoever used this tab before.
      queryClient.clear();
      sessionStore.signedIn(result);
    },
  });
}
