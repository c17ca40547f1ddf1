import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { sessionStore } from '../../../lib/session-store';

export interface SignInMfaInput {
  challenge: string;
  method: 'totp' | 'recovery_code';
  code: string;
}

/** The second sign-in step: the authenticator's code or a recovery code. */
export async function signInMfa(input: SignInMfaInput) {
  return dataOrThrow(
    await apiClient.POST('/api/auth/sign-in/mfa', { body: { ...input, refreshTokenIn: 'cookie' } }),
  );
}

export function useSignInMfa() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signInMfa,
    onSuccess: (tokens) => {
      queryClient.clear();
      sessionStore.signedIn(tokens);
    },
  });
}
