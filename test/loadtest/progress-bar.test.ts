import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar } from '../../src/loadtest/progress-bar.js';

function sink(isTTY: boolean) {
  let written = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString('utf8');
        done();
      },
    }),
    { isTTY, columns: 200 },
  );
  return { stream, written: () => written };
}

describe('progress bar', () => {
  it('redraws one line with live RPS and errors on a TTY', () => {
    const { stream, written } = sink(true);
    const bar = createProgressBar(stream, 'peak');
    bar.update({ elapsedS: 2, durationS: 4, calls: 120, errors: 3, rps: 61.5 });
    bar.done();
    expect(written()).toMatch(/^\r.*peak.*2\.0\/4s {2}calls 120 {2}rps 61\.5 {2}errors 3\u001b\[K\n$/);
    expect(written()).toContain('█'.repeat(12));
  });

  it('writes nothing to a pipe or CI log', () => {
    const { stream, written } = sink(false);
    const bar = createProgressBar(stream, 'peak');
    bar.update({ elapsedS: 2, durationS: 4, calls: 120, errors: 3, rps: 61.5 });
    bar.done();
    expect(written()).toBe('');
  });
});
