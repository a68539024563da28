import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ScanTask } from './scan-worker.js';
import type { ScanEntity } from './scan-text.js';

/**
 * A pool of worker threads for scans too large to run on the event loop (a 4 MB prompt costs
 * ~100 ms of CPU). One pool per process, created on first use and shared by every config;
 * workers cache one scanner per detector configuration.
 *
 * From the compiled build the worker is `scan-worker.js`; from sources (tests, `npm run dev`)
 * it is the `.ts` file, loaded through tsx in the worker.
 */
let pool: Piscina | undefined;

function workerOptions(): { filename: string; execArgv: string[] } {
  const compiled = import.meta.url.endsWith('.js');
  const filename = fileURLToPath(new URL(compiled ? './scan-worker.js' : './scan-worker.ts', import.meta.url));
  return { filename, execArgv: compiled ? [] : ['--import', 'tsx'] };
}

export interface ScanPoolOptions {
  /** Worker threads; default: available cores − 1, at least 1, at most 4. */
  threads?: number;
}

export function scanPool(options: ScanPoolOptions = {}): Piscina {
  if (pool === undefined) {
    const threads = options.threads ?? Math.max(1, Math.min(4, availableParallelism() - 1));
    // Idle workers exit after a minute so an idle gateway holds no extra threads.
    pool = new Piscina({ ...workerOptions(), minThreads: 0, maxThreads: threads, idleTimeout: 60_000 });
  }
  return pool;
}

export async function scanOffThread(task: ScanTask, options: ScanPoolOptions = {}): Promise<{ entities: ScanEntity[] }> {
  return (await scanPool(options).run(task)) as { entities: ScanEntity[] };
}

/** Stops the pool's workers (tests, shutdown). */
export async function closeScanPool(): Promise<void> {
  const current = pool;
  pool = undefined;
  if (current !== undefined) await current.destroy();
}
