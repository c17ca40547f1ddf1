import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { UnprocessableError } from '../../lib/errors.js';

/**
 * SSRF guard: a webhook may reach only public unicast addresses. Checked when an endpoint is
 * registered and again at every delivery, after DNS resolution; the delivery then connects to
 * exactly the address that was checked, so a name that re-resolves to a private address between
 * the check and the connection (DNS rebinding) gains nothing.
 */

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (fd00:ec2::254 metadata among them)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address an IPv4-mapped, -compatible or NAT64 IPv6 address carries, if any. */
function embeddedIpv4(address: string): string | undefined {
  const match = /^(?:::ffff:|::|64:ff9b::)(?:0:)?((?:\d{1,3}\.){3}\d{1,3})$/i.exec(address);
  if (match) return match[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex?.[1] || !hex[2]) return undefined;
  const high = Number.parseInt(hex[1], 16);
  const low = Number.parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const ipv4 = embeddedIpv4(address);
  if (ipv4) return !blocked.check(ipv4, 'ipv4');
  return !blocked.check(address, 'ipv6');
}

export interface CheckedTarget {
  url: URL;
  /** The resolved address the delivery connects to. */
  address: string;
  family: 4 | 6;
}

export class WebhookTargetError extends UnprocessableError {
  constructor(code: string, message: string) {
    super(code, message, [{ field: '/body/url', message }]);
  }
}

/**
 * Parses and resolves a webhook URL; throws WebhookTargetError when it may not be used. With
 * `allowPrivate` (WEBHOOKS_ALLOW_PRIVATE_TARGETS) private addresses and plain http are allowed.
 */
export async function checkTarget(raw: string, allowPrivate: boolean): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('webhook_url_invalid', 'must be an absolute URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new WebhookTargetError('webhook_url_not_https', 'must be an https:// URL');
  }
  if (url.username || url.password) {
    throw new WebhookTargetError('webhook_url_credentials', 'must not contain a user or password');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new WebhookTargetError(
        'webhook_url_unresolvable',
        'names a host that does not resolve',
      );
    }
  }
  // Every address must be public: a name with one private address among public ones is refused.
  if (
    !allowPrivate &&
    (addresses.length === 0 || !addresses.every((a) => isPublicAddress(a.address)))
  ) {
    throw new WebhookTargetError(
      'webhook_url_private',
      'resolves to a loopback, private, link-local or otherwise non-public address',
    );
  }
  const first = addresses[0];
  if (!first) {
    throw new WebhookTargetError('webhook_url_unresolvable', 'names a host that does not resolve');
  }
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
