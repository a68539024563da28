// Summaries of repeated alternating runs (medians, ratios, target checks) and the BENCHMARKS.md
// regions the harness owns. Everything outside the marked regions of BENCHMARKS.md is prose
// kept by hand (method, notes) and left untouched.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function median(values) {
  const finite = values.filter((value) => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return null;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
}

/**
 * rounds[r][cellKey][targetId] = one measurement → per cell and target the medians over rounds.
 * Differences and ratios are taken within each round first (same conditions), then medianed.
 */
export function summarise(rounds, cells, targetIds) {
  return cells.map((cell) => {
    const targets = {};
    for (const id of targetIds) {
      const runs = rounds.map((round) => round[cell.key]?.[id]).filter(Boolean);
      if (runs.length === 0) continue;
      const versus = (other, pick, combine) =>
        median(rounds.map((round) => {
          const mine = round[cell.key]?.[id];
          const theirs = round[cell.key]?.[other];
          return mine && theirs && pick(mine) !== null && pick(theirs) !== null ? combine(pick(mine), pick(theirs)) : null;
        }));
      const minus = (a, b) => a - b;
      const ratio = (a, b) => (b > 0 ? a / b : null);
      targets[id] = {
        runs: runs.length,
        failures: runs.reduce((sum, run) => sum + run.failures, 0),
        rps: median(runs.map((run) => run.rps)),
        p50Ms: median(runs.map((run) => run.latencyMs.p50)),
        p90Ms: median(runs.map((run) => run.latencyMs.p90)),
        p99Ms: median(runs.map((run) => run.latencyMs.p99)),
        ttftP50Ms: median(runs.map((run) => run.ttftMs?.p50)),
        ttftP99Ms: median(runs.map((run) => run.ttftMs?.p99)),
        cpuMsPerRequest: median(runs.map((run) => run.cpuMsPerRequest)),
        rssMb: Math.max(...runs.map((run) => run.rssBytes ?? 0)) / 1048576 || null,
        addedP50Ms: id === 'direct' ? null : versus('direct', (run) => run.latencyMs.p50, minus),
        addedP99Ms: id === 'direct' ? null : versus('direct', (run) => run.latencyMs.p99, minus),
        addedTtftP50Ms: id === 'direct' ? null : versus('direct', (run) => run.ttftMs?.p50 ?? null, minus),
        vsPortkey: id === 'portkey' ? null : versus('portkey', (run) => run.rps, ratio),
        // An A/B in one run (`--baseline`): this build against the baseline build of the same scenario.
        ...(id.startsWith('switchyard-') && targetIds.includes(baselineOf(id))
          ? { cpuVsBaseline: versus(baselineOf(id), (run) => run.cpuMsPerRequest ?? null, ratio), rpsVsBaseline: versus(baselineOf(id), (run) => run.rps, ratio) }
          : {}),
      };
    }
    return { ...cell, targets };
  });
}

/** `switchyard-<name>` → `baseline-<name>` (the same scenario on the baseline build). */
const baselineOf = (id) => id.replace(/^switchyard-/, 'baseline-');

const find = (summary, mode, promptBytes, concurrency) =>
  summary.find((cell) => cell.mode === mode && cell.promptBytes === promptBytes && cell.concurrency === concurrency);

/** The targets, checked against this run (null when the run lacks the figures). */
export function checkTargets(summary, { proxyId, fullId }) {
  const checks = [];
  const check = (name, target, value, limit, atLeast = false) =>
    checks.push({ name, target, value, met: value === null || value === undefined ? null : atLeast ? value >= limit : value <= limit });
  const get = (mode, bytes, concurrency, id, field) => find(summary, mode, bytes, concurrency)?.targets[id]?.[field] ?? null;
  for (const [id, label, bytes, ratio, cpu, p50] of [
    [proxyId, 'pure proxy', 1024, 5, 0.4, 0.3],
    [fullId, 'full pipeline', 8192, 3, 0.8, 0.6],
  ]) {
    if (!id) continue;
    check(`${label}: throughput vs Portkey, c=64, ${bytes / 1024} KB`, `≥ ${ratio}×`, get('unary', bytes, 64, id, 'vsPortkey'), ratio, true);
    check(`${label}: gateway CPU per request, c=64, ${bytes / 1024} KB`, `≤ ${cpu} ms`, get('unary', bytes, 64, id, 'cpuMsPerRequest'), cpu);
    check(`${label}: added latency p50, c=1, ${bytes / 1024} KB`, `≤ ${p50} ms`, get('unary', bytes, 1, id, 'addedP50Ms'), p50);
    if (id === proxyId) check(`${label}: added latency p99, c=1, 1 KB`, '≤ 1 ms', get('unary', 1024, 1, id, 'addedP99Ms'), 1);
    check(`${label}: added TTFT p50 on streams, c=1, ${bytes / 1024} KB`, '≤ 1 ms', get('stream', bytes, 1, id, 'addedTtftP50Ms'), 1);
    if (id === proxyId) check(`${label}: gateway CPU per 128-chunk stream, c=64, 1 KB`, '≤ 0.8 ms', get('stream', 1024, 64, id, 'cpuMsPerRequest'), 0.8);
    const rss = Math.max(0, ...summary.flatMap((cell) => cell.targets[id]?.rssMb ?? []));
    check(`${label}: RSS under load (max over the run)`, '≤ 150 MB', rss || null, 150);
  }
  return checks;
}

const number = (value, digits = 2) => (value === null || value === undefined ? '—' : value.toFixed(digits));

export function resultsMarkdown(result) {
  const lines = [];
  lines.push(`Run of ${result.date} — \`${result.command}\` — Node ${result.node}, ${result.cpus} × ${result.cpuModel}, ${result.rounds} alternating round(s) of ${result.durationSec} s per cell.`, '');
  if (result.portkey.error) lines.push(`**Portkey could not be measured:** ${result.portkey.error}`, '');
  lines.push('### Targets', '', '| target | goal | measured | met |', '|---|---|---|---|');
  for (const item of result.checks) lines.push(`| ${item.name} | ${item.target} | ${number(item.value, item.name.includes('throughput') ? 1 : 3)} | ${item.met === null ? 'n/a' : item.met ? 'yes' : '**no**'} |`);
  for (const mode of ['unary', 'stream']) {
    lines.push('', `### ${mode === 'unary' ? 'Non-stream' : 'Stream'} (ms; added = minus direct, same round)`, '');
    const streamColumns = mode === 'stream' ? ' TTFT p50 | TTFT p99 | added TTFT p50 |' : '';
    lines.push(`| prompt | c | target | req/s | p50 | p90 | p99 | added p50 | added p99 |${streamColumns} CPU ms/req | RSS MB | × Portkey | failed |`);
    lines.push(`|---|---|---|---|---|---|---|---|---|${mode === 'stream' ? '---|---|---|' : ''}---|---|---|---|`);
    for (const cell of result.summary.filter((item) => item.mode === mode)) {
      for (const [id, figures] of Object.entries(cell.targets)) {
        const stream = mode === 'stream' ? ` ${number(figures.ttftP50Ms)} | ${number(figures.ttftP99Ms)} | ${number(figures.addedTtftP50Ms, 3)} |` : '';
        lines.push(
          `| ${cell.promptBytes / 1024} KB | ${cell.concurrency} | ${id} | ${number(figures.rps, 0)} | ${number(figures.p50Ms)} | ${number(figures.p90Ms)} | ${number(figures.p99Ms)} | ${number(figures.addedP50Ms, 3)} | ${number(figures.addedP99Ms, 3)} |${stream} ${number(figures.cpuMsPerRequest, 3)} | ${number(figures.rssMb, 0)} | ${number(figures.vsPortkey, 2)} | ${figures.failures} |`,
        );
      }
    }
  }
  return lines.join('\n');
}

/** A partial or A/B run (`--cells`, `--baseline`): one table, printed, not written into BENCHMARKS.md. */
export function partialMarkdown(result) {
  const lines = [`Run of ${result.date} — \`${result.command}\` — ${result.rounds} alternating round(s) of ${result.durationSec} s per cell.`, ''];
  lines.push('| cell | target | req/s | p50 | CPU ms/req | RSS MB | × Portkey | CPU vs baseline | req/s vs baseline | failed |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const cell of result.summary)
    for (const [id, figures] of Object.entries(cell.targets))
      lines.push(`| ${cell.key} | ${id} | ${number(figures.rps, 0)} | ${number(figures.p50Ms)} | ${number(figures.cpuMsPerRequest, 3)} | ${number(figures.rssMb, 0)} | ${number(figures.vsPortkey, 2)} | ${number(figures.cpuVsBaseline, 3)} | ${number(figures.rpsVsBaseline, 3)} | ${figures.failures} |`);
  return lines.join('\n');
}

export function soakMarkdown(soak) {
  const lines = [
    `Soak of ${soak.date} — \`${soak.command}\` — ${soak.minutes} min of ${soak.target}, ${soak.mode} ${soak.promptBytes / 1024} KB at c=${soak.concurrency}, Node ${soak.node}.`,
    '',
    `RSS after 1 min ${number(soak.rssAfterFirstMinuteMb, 0)} MB, at the end ${number(soak.rssEndMb, 0)} MB, max ${number(soak.rssMaxMb, 0)} MB; trend after the first minute ${number(soak.rssTrendMbPerMinute, 2)} MB/min (least squares); ${soak.requests} requests (${soak.failures} failed). Goal: ≤ 150 MB and no upward trend — ${soak.rssMaxMb <= 150 && soak.rssTrendMbPerMinute <= 0.5 ? 'met' : '**not met**'} (a trend ≤ 0.5 MB/min counts as flat).`,
    '',
    '| minute | RSS MB | req/s in the interval |',
    '|---|---|---|',
    ...soak.samples.map((sample) => `| ${number(sample.minute, 1)} | ${number(sample.rssMb, 0)} | ${number(sample.rps, 0)} |`),
  ];
  return lines.join('\n');
}

/** Replaces the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`. */
export function writeRegion(path, name, content, template) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  let text = existsSync(path) ? readFileSync(path, 'utf8') : template;
  if (!text.includes(start)) text += `\n${start}\n${end}\n`;
  const before = text.slice(0, text.indexOf(start) + start.length);
  const after = text.slice(text.indexOf(end));
  writeFileSync(path, `${before}\n${content}\n${after}`);
}
