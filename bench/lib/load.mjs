// Load generators. Non-stream: autocannon, with each response's time taken from its
// 'response' event (float milliseconds) because autocannon's own histogram has 1 ms
// resolution — too coarse for sub-millisecond overhead. Streams: a small undici client that
// times the first body byte (TTFT) and the end of each stream.
import autocannon from 'autocannon';
import { Pool } from 'undici';

export function percentiles(samples) {
  if (samples.length === 0) return { p50: null, p90: null, p99: null };
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

/** Drives POST `url` at `connections` concurrency for `durationSec`; latencies of 2xx only. */
export function runAutocannon({ url, headers, body, connections, durationSec }) {
  const latencies = [];
  let failures = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, connections, pipelining: 1, duration: durationSec, timeout: 30 },
      (error, result) => {
        if (error) return reject(error);
        const requests = latencies.length;
        resolve({ requests, failures: failures + result.errors + result.timeouts, rps: requests / durationSec, latencyMs: percentiles(latencies) });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else failures++;
    });
  });
}

/** `concurrency` loops of streamed requests over one pool for `durationSec`. */
export async function runStreamClient({ url, headers, body, concurrency, durationSec }) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: concurrency, pipelining: 1 });
  const ttft = [];
  const total = [];
  let failures = 0;
  const stopAt = performance.now() + durationSec * 1000;
  const loop = async () => {
    while (performance.now() < stopAt) {
      const started = performance.now();
      try {
        const response = await pool.request({ path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        let first;
        let text = '';
        for await (const chunk of response.body) {
          first ??= performance.now();
          // Keep only the tail: enough to see the end marker without holding the stream.
          text = (text + chunk.toString('utf8')).slice(-64);
        }
        if (response.statusCode !== 200 || !text.includes('[DONE]') || first === undefined) {
          failures++;
          continue;
        }
        ttft.push(first - started);
        total.push(performance.now() - started);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  await pool.close();
  return { requests: total.length, failures, rps: total.length / durationSec, latencyMs: percentiles(total), ttftMs: percentiles(ttft) };
}
