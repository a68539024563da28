import type { Writable } from 'node:stream';
import type { LiveProgress } from './run-load.js';

/**
 * A one-line progress bar with live RPS and errors, redrawn in place; only on a TTY (a CI log
 * or a pipe gets the per-scenario summary lines instead).
 */
export function createProgressBar(stream: Writable & { isTTY?: boolean; columns?: number }, label: string): { update: (progress: LiveProgress) => void; done: () => void } {
  if (stream.isTTY !== true) return { update: () => undefined, done: () => undefined };
  let drawn = false;
  return {
    update: (progress) => {
      const width = 24;
      const filled = Math.min(width, Math.round((progress.elapsedS / progress.durationS) * width));
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      const line = `${label.padEnd(8)} ${bar} ${progress.elapsedS.toFixed(1)}/${progress.durationS}s  calls ${progress.calls}  rps ${progress.rps.toFixed(1)}  errors ${progress.errors}`;
      stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}\u001b[K`);
      drawn = true;
    },
    done: () => {
      if (drawn) stream.write('\n');
    },
  };
}
