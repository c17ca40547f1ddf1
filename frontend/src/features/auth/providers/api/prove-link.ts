import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../../lib/api-client';
import { dataOrThrow } from '../../../../lib/problem';
import { type IssuedSession, sessionStore } from '../../../../lib/session-store';
import { isMfaChallenge, type MfaChallenge } from '../../api/sign-in';

export type LinkProof =
  | { token: string; method: 'password'; password: string }
  | { token: string; method: 'code'; code: string };

/** Emails a 6-digit code to the account the provider's address matched. */
export async function sendLinkCode(token: string) {
  dataOrThrow(await apiClient.POST('/api/auth/oidc/link/code', { body: { token } }));
}

export function useSendLinkCode() {
  return useMutation({ mutationFn: sendLinkCode });
}

/**
 * Proves the account (its password or the emailed code): the provider is linked and the answer
 * is a sign-in's, the tokens or the second step's challenge.
 */
export async function proveLink(proof: LinkProof): Promise<IssuedSession | MfaChallenge> {
  const result = dataOrThrow(await apiClient.POST('/api/auth/oidc/link', { body: proof }));
  return isMfaChallenge(result) ? result : (result as unknown as IssuedSession);
}

export function useProveLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: proveLink,
    onSuccess: (result) => {
      if (isMfaChallenge(result)) return;
      queryClient.clear();
      sessionStore.signedIn(result);
    },
  });
}
