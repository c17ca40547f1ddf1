import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { sessionStore } from '../../../lib/session-store';

export interface SignInInput {
  email: string;
  password: string;
  keepSignedIn: boolean;
}

/** The refresh token comes back only as the httpOnly cookie; the access token stays in memory. */
export async function signIn(input: SignInInput) {
  return dataOrThrow(
    await apiClient.POST('/api/auth/sign-in', { body: { ...input, refreshTokenIn: 'cookie' } }),
  );
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    onSuccess: (tokens) => {
      // Whatever was cached belonged to whoever used this tab before.
      queryClient.clear();
      sessionStore.signedIn(tokens);
    },
  });
}
