import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mac, macMatches } from './server-keys.js';

/**
 * OWASP's device cookie: set at a successful sign-in, it proves that this browser signed in to
 * this account before. `__Host-` pins it to this origin (Secure, Path=/, no Domain).
 */
export const DEVICE_COOKIE = '__Host-hp_device';
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 86_400;

export function createDeviceCookies(key: Buffer) {
  const signed = (userId: string, deviceId: string, issuedAt: number) =>
    mac(key, `device:${userId}:${deviceId}:${issuedAt}`);

  return {
    /** A cookie value for this account: `<device id>.<issued at, s>.<HMAC>`. */
    issue(userId: string, deviceId = randomBytes(16).toString('base64url')): string {
      const issuedAt = Math.floor(Date.now() / 1000);
      return `${deviceId}.${issuedAt}.${signed(userId, deviceId, issuedAt)}`;
    },

    /** The device id when the cookie was issued for this account and has not expired. */
    verify(value: string | undefined, userId: string): string | undefined {
      const [deviceId, issued, signature, ...rest] = (value ?? '').split('.');
      if (!deviceId || !issued || !signature || rest.length > 0) return undefined;
      if (!/^[A-Za-z0-9_-]{22}$/.test(deviceId) || !/^\d{1,12}$/.test(issued)) return undefined;
      const issuedAt = Number(issued);
      const ageSeconds = Date.now() / 1000 - issuedAt;
      if (ageSeconds < -60 || ageSeconds > DEVICE_COOKIE_MAX_AGE_SECONDS) return undefined;
      return macMatches(key, `device:${userId}:${deviceId}:${issuedAt}`, signature)
        ? deviceId
        : undefined;
    },
  };
}

export type DeviceCookies = ReturnType<typeof createDeviceCookies>;

export function deviceCookieOf(request: FastifyRequest): string | undefined {
  return request.cookies[DEVICE_COOKIE];
}

export function setDeviceCookie(reply: FastifyReply, value: string): void {
  reply.setCookie(DEVICE_COOKIE, value, {
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: '/',
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
}
