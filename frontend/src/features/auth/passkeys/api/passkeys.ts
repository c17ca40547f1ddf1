import {
  browserSupportsWebAuthn,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../../lib/api-client';
import { dataOrThrow } from '../../../../lib/problem';
import { sessionStore } from '../../../../lib/session-store';
import { isMfaChallenge } from '../../api/sign-in';

/** Whether this browser can use passkeys at all (WebAuthn over HTTPS or localhost). */
export function passkeysSupported(): boolean {
  return browserSupportsWebAuthn();
}

// The API's option documents are WebAuthn's JSON forms; the browser library takes them as they are.
const creationOptions = (value: object) => value as PublicKeyCredentialCreationOptionsJSON;
const requestOptions = (value: object) => value as PublicKeyCredentialRequestOptionsJSON;
/** The browser's answer as the request body (its extension results are a plain record there). */
function answer<Credential extends { clientExtensionResults: object }>(credential: Credential) {
  const { clientExtensionResults, ...rest } = credential;
  return {
    ...rest,
    clientExtensionResults: { ...clientExtensionResults } as Record<string, unknown>,
  };
}

export function passkeysQueryOptions() {
  return queryOptions({
    queryKey: ['account', 'passkeys'] as const,
    queryFn: async ({ signal }) =>
      dataOrThrow(await apiClient.GET('/api/auth/passkeys', { signal })),
  });
}

export function usePasskeys() {
  return useQuery(passkeysQueryOptions());
}

export interface AddPasskeyInput {
  name: string;
  /** Needed unless the session is aal2 (the API answers 403 `reauthentication_required`). */
  password?: string;
}

/** The API's options, the browser's passkey prompt, then the API checks and stores the answer. */
export async function addPasskey({ name, password }: AddPasskeyInput) {
  const options = dataOrThrow(
    await apiClient.POST('/api/auth/passkeys/options', { body: password ? { password } : {} }),
  );
  const credential = answer(await startRegistration({ optionsJSON: creationOptions(options) }));
  return dataOrThrow(
    await apiClient.POST('/api/auth/passkeys', {
      body: { credential, ...(name.trim() ? { name: name.trim() } : {}) },
    }),
  );
}

export function useAddPasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addPasskey,
    onSuccess: () => queryClient.invalidateQueries(passkeysQueryOptions()),
  });
}

export function useRenamePasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, name }: { id: string; name: string }) =>
      dataOrThrow(
        await apiClient.PATCH('/api/auth/passkeys/{id}', {
          params: { path: { id } },
          body: { name: name.trim() },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries(passkeysQueryOptions()),
  });
}

export function useDeletePasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      dataOrThrow(await apiClient.DELETE('/api/auth/passkeys/{id}', { params: { path: { id } } }));
    },
    onSuccess: () => queryClient.invalidateQueries(passkeysQueryOptions()),
  });
}

/** A passwordless sign-in; with MFA on and no user verification the answer is a challenge. */
export async function signInWithPasskey({ keepSignedIn }: { keepSignedIn: boolean }) {
  const options = dataOrThrow(
    await apiClient.POST('/api/auth/sign-in/passkey/options', { body: {} }),
  );
  const credential = answer(await startAuthentication({ optionsJSON: requestOptions(options) }));
  return dataOrThrow(
    await apiClient.POST('/api/auth/sign-in/passkey', {
      body: { credential, keepSignedIn, refreshTokenIn: 'cookie' },
    }),
  );
}

export function useSignInWithPasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signInWithPasskey,
    onSuccess: (result) => {
      if (isMfaChallenge(result)) return;
      queryClient.clear();
      sessionStore.signedIn(result);
    },
  });
}

/** The sign-in's second step answered with one of the account's passkeys. */
export async function passkeySecondStep({ challenge }: { challenge: string }) {
  const options = dataOrThrow(
    await apiClient.POST('/api/auth/sign-in/mfa/passkey/options', { body: { challenge } }),
  );
  const credential = answer(await startAuthentication({ optionsJSON: requestOptions(options) }));
  return dataOrThrow(
    await apiClient.POST('/api/auth/sign-in/mfa/passkey', {
      body: { challenge, credential, refreshTokenIn: 'cookie' },
    }),
  );
}

export function usePasskeySecondStep() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: passkeySecondStep,
    onSuccess: (tokens) => {
      queryClient.clear();
      sessionStore.signedIn(tokens);
    },
  });
}
