/**
 * How long an upstream asked us to wait, in seconds. `retry-after-ms` (OpenAI, Azure) is more
 * precise so it wins; then `retry-after` as delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Returns undefined when neither header is present or parseable — the caller then falls back
 * to its own backoff instead of trusting a garbage value.
 */
export function parseRetryAfter(
  headers: Record<string, string | undefined>,
  now: number = Date.now(),
): number | undefined {
  const milliseconds = headerValue(headers, 'retry-after-ms');
  if (milliseconds !== undefined && /^\d+(\.\d+)?$/.test(milliseconds)) {
    return Number(milliseconds) / 1000;
  }
  const value = headerValue(headers, 'retry-after');
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  // A date in the past means "now"; never report a negative wait.
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined) return value.trim();
  }
  return undefined;
}
