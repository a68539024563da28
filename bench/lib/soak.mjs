// The soak: one target under steady load for N minutes, sampling its RSS (and the request
// rate) every `intervalSec`, to see whether memory stays flat.
import autocannon from 'autocannon';
import { processStats } from './processes.mjs';

export function runSoak({ url, headers, body, connections, minutes, pid, intervalSec = 10, log }) {
  const samples = [];
  let requests = 0;
  let failures = 0;
  let sinceLastSample = 0;
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const { rssBytes } = processStats(pid);
      const minute = (Date.now() - startedAt) / 60_000;
      samples.push({ minute, rssMb: rssBytes / 1048576, rps: sinceLastSample / intervalSec });
      log(`soak ${minute.toFixed(1)} min: RSS ${(rssBytes / 1048576).toFixed(0)} MB, ${(sinceLastSample / intervalSec).toFixed(0)} req/s`);
      sinceLastSample = 0;
    }, intervalSec * 1000);
    const instance = autocannon(
      { url, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, connections, pipelining: 1, duration: minutes * 60, timeout: 30 },
      (error, result) => {
        clearInterval(timer);
        if (error) return reject(error);
        const afterFirstMinute = samples.find((sample) => sample.minute >= 1) ?? samples[0];
        const settled = samples.filter((sample) => sample.minute >= 1);
        resolve({
          samples,
          requests,
          failures: failures + result.errors + result.timeouts,
          rssAfterFirstMinuteMb: afterFirstMinute?.rssMb ?? null,
          rssEndMb: samples.at(-1)?.rssMb ?? null,
          rssMaxMb: Math.max(...samples.map((sample) => sample.rssMb)),
          rssTrendMbPerMinute: slope(settled.map((sample) => [sample.minute, sample.rssMb])),
        });
      },
    );
    instance.on('response', (_client, statusCode) => {
      if (statusCode >= 200 && statusCode < 300) {
        requests++;
        sinceLastSample++;
      } else failures++;
    });
  });
}

/** Least-squares slope of [x, y] points (0 for fewer than two). */
export function slope(points) {
  if (points.length < 2) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  const numerator = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const denominator = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return denominator === 0 ? 0 : numerator / denominator;
}
