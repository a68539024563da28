// `npm run bench:startup` — how long the CLI takes to start: `switchyard --help` to exit, and
// `switchyard scan` from spawn to its first output line (one short line written to stdin at
// once, so this includes reading and scanning it: an upper bound of "reads its first line").
// Wall time per run (min and median of RUNS) and CPU time per run (user + system of the
// children, from /proc/self/stat, 10 ms ticks averaged over the runs). Runs the BUILT CLI.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const CLI = join(resolve(import.meta.dirname, '..'), 'dist/cli/index.js');
const RUNS = Number(process.argv[2] ?? 15);
const TICK_MS = 10;

/** CPU of waited-for children so far (cutime + cstime), in ms. */
function childrenCpuMs() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After ") ": field 3 (state) is index 0, so cutime (16) and cstime (17) are 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS;
}

function firstLine() {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [CLI, 'scan'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let elapsed;
    child.stdout.once('data', () => {
      elapsed = performance.now() - start;
      child.stdin.end();
    });
    child.on('error', reject);
    child.on('close', () => (elapsed === undefined ? reject(new Error('scan wrote nothing')) : resolvePromise(elapsed)));
    child.stdin.write('{"id":1,"text":"call 0912-345-678"}\n');
  });
}

async function measure(name, once) {
  await once();
  const times = [];
  const cpuBefore = childrenCpuMs();
  for (let run = 0; run < RUNS; run++) times.push(await once());
  const cpuMs = (childrenCpuMs() - cpuBefore) / RUNS;
  times.sort((a, b) => a - b);
  return { command: name, 'wall min ms': Math.round(times[0]), 'wall median ms': Math.round(times[Math.floor(RUNS / 2)]), 'CPU ms per run': Math.round(cpuMs) };
}

const rows = [
  await measure('node -e 0 (floor)', async () => {
    const start = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    return performance.now() - start;
  }),
  await measure('switchyard --help', async () => {
    const start = performance.now();
    spawnSync(process.execPath, [CLI, '--help']);
    return performance.now() - start;
  }),
  await measure('switchyard scan → first line', firstLine),
];
console.table(rows);
