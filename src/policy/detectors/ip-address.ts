import { DIGIT_TRIGGERS, type DetectedSpan, type Detector } from './detector.js';
import { createContextMatcher, forEachMatch } from './text-context.js';
import { defineDetector } from './detector-definition.js';

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
/** IPv4; not glued to letters, digits or dots (so `v1.2.3.4` and `1.2.3.4.5` never match). */
const IPV4 = new RegExp(String.raw`(?<![\w.])${OCTET}(?:\.${OCTET}){3}(?![\w]|\.\d)`, 'g');
/**
 * IPv6 candidates: a run of hex digits and colons (bounded, anchored at a run start). The
 * grammar — at most one `::`, eight groups without it, 1–4 hex digits per group — is checked
 * in code, which keeps the regex trivially linear.
 */
const IPV6 = /(?<![\w:.])[0-9A-Fa-f:]{3,39}(?![\w:]|\.\d)/g;

export function isValidIpv6(candidate: string): boolean {
  if (!candidate.includes(':')) return false;
  const halves = candidate.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (part: string): string[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    return groups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group)) ? groups : undefined;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = groupsOf(halves[1] ?? '');
  if (head === undefined || tail === undefined) return false;
  if (halves.length === 1) return head.length === 8;
  return head.length + tail.length <= 7 && head.length + tail.length >= 1;
}

/**
 * Dotted quads are also version and build numbers, so the nearest context word decides:
 * network words make it an address, version words do not. With no context it is reported at
 * a modest score.
 */
const context = createContextMatcher({
  positive: ['ip', 'ipv4', 'ipv6', 'ip address', 'address', 'host', 'hostname', 'server', 'gateway', 'src', 'dst', 'source', 'destination', 'from', 'client', 'remote', 'allow', 'deny', 'block', 'firewall', 'subnet', 'route', 'ping', 'port', 'connect', 'nslookup', 'x-forwarded-for', 'x-real-ip', 'dns', 'proxy', 'vpn', '位址', '地址', '主機', '閘道', '伺服器', '來源', '目的', '允許', '封鎖', '防火牆', '連線', '網段', '登入'],
  negative: ['version', 'ver', 'v', 'build', 'release', 'firmware', 'agent', 'upgrade', 'update', 'patch', 'oid', '版本', '版號', '韌體', '升級', '更新', '目前為', '組建'],
  before: 24,
  after: 8,
});

/** IPv4 / IPv6 addresses in a network context; a trailing `:port` is not part of the span. */
export const ipAddressDetector: Detector = {
  id: 'ip-address',
  entity: 'IP_ADDRESS',
  triggers: `${DIGIT_TRIGGERS}:`,
  detect(text) {
    const spans: DetectedSpan[] = [];
    forEachMatch(IPV4, text, (match) => {
      const start = match.index;
      const end = start + match[0].length;
      const verdict = context(text, start, end);
      const score = verdict === 'positive' ? 0.95 : verdict === 'negative' ? 0.2 : 0.6;
      spans.push({ start, end, score });
    });
    forEachMatch(IPV6, text, (match) => {
      if (!isValidIpv6(match[0])) return;
      const start = match.index;
      const end = start + match[0].length;
      const verdict = context(text, start, end);
      spans.push({ start, end, score: verdict === 'negative' ? 0.4 : 0.95 });
    });
    spans.sort((left, right) => left.start - right.start);
    return spans;
  },
};

/** Built-in definition: ipAddress spans imply `internal` unless `policy.entity_classes` says otherwise. */
export const ipAddressDefinition = defineDetector(ipAddressDetector, 'internal');
