import { isIP } from 'node:net';

/**
 * True when the URL's host is this machine: localhost, 127.0.0.0/8 or ::1 (also as IPv4-mapped
 * ::ffff:127.x). Anything else — a LAN address, a hostname that might resolve anywhere — is
 * remote: a load test is a denial of service for whoever owns the target.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host) ?? /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.exec(host);
    if (mapped?.[1] !== undefined) return mapped[1].split('.')[0] === '127';
    return mapped !== null;
  }
  return false;
}
