/**
 * Upstream 4xx messages are passed to clients because they explain what to fix ("max_tokens is
 * too large"), but they can leak what the gateway hides: internal URLs, hostnames with ports,
 * and credentials (OpenAI echoes part of a wrong key). Keep the human sentence, drop the rest.
 */
const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi;
/** host:port and bare IPv4 addresses of internal endpoints. */
const HOST_PORT = /\b(?:\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d{2,5}\b/gi;
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
/** Vendor key prefixes (sk-, sk-ant-, AIza…) even when partly masked with '*'. */
const VENDOR_KEY = /\b(?:sk-[A-Za-z0-9_*.-]{6,}|AIza[A-Za-z0-9_*-]{10,}|(?:Bearer|Basic)\s+[A-Za-z0-9._~+/*=-]+)/g;
/**
 * Long opaque tokens: 32+ chars of key alphabet mixing letters and digits. Hyphens are left
 * out and the bar is high on purpose, so model names ("claude-sonnet-4-20250514") and request
 * ids ("req_011CSHoEeqs5C35K2UUqR7Fy") that help a user survive.
 */
const OPAQUE_TOKEN = /\b(?=[A-Za-z0-9_*+/=]*\d)(?=[A-Za-z0-9_*+/=]*[A-Za-z])[A-Za-z0-9_*+/=]{32,}/g;
const MAX_LENGTH = 500;

export function sanitizeUpstreamMessage(message: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let text = message;
  for (const secret of secrets) {
    // Short strings would redact ordinary words; real keys are long.
    if (secret !== undefined && secret.length >= 8) text = text.split(secret).join('[redacted]');
  }
  text = text
    .replace(URL_LIKE, '[url]')
    .replace(VENDOR_KEY, '[redacted]')
    .replace(HOST_PORT, '[host]')
    .replace(IPV4, '[host]')
    .replace(OPAQUE_TOKEN, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length > MAX_LENGTH) text = `${text.slice(0, MAX_LENGTH)}…`;
  return text;
}
