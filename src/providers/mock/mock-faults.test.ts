import { describe, expect, it } from 'vitest';
import { mockOptionsSchema } from './mock-options-schema.js';
import { createFaultDecider, parseFaultSpec } from './mock-faults.js';

const defaults = mockOptionsSchema.parse({});
const withFaults = (faults: Record<string, number>) => mockOptionsSchema.parse({ faults });

describe('mock fault specs', () => {
  it.each([
    ['error', { kind: 'error', status: 500 }],
    ['error:503', { kind: 'error', status: 503 }],
    ['rate_limit:2.5', { kind: 'rate_limit', retryAfterSeconds: 2.5 }],
    ['rate_limit', { kind: 'rate_limit', retryAfterSeconds: 1 }],
    ['reset', { kind: 'reset' }],
    ['hang', { kind: 'hang' }],
    ['stream_cut', { kind: 'stream_cut', afterChunks: 3 }],
    ['stream_cut:0', { kind: 'stream_cut', afterChunks: 0 }],
    ['stall:2', { kind: 'stall', afterChunks: 2 }],
    ['slow_ttft:250', { kind: 'slow_ttft', ttftMs: 250 }],
    ['none', { kind: 'none' }],
  ])('parses %s', (spec, fault) => {
    expect(parseFaultSpec(spec, defaults)?.fault).toEqual(fault);
  });

  it('parses target and times, and rejects nonsense', () => {
    expect(parseFaultSpec('error:502@primary*2', defaults)).toEqual({ fault: { kind: 'error', status: 502 }, target: 'primary', times: 2, source: 'error:502@primary*2' });
    expect(parseFaultSpec('explode', defaults)).toBeUndefined();
    expect(parseFaultSpec('error:abc', defaults)).toBeUndefined();
  });
});

describe('mock fault decisions', () => {
  const input = (text: string, header?: string, streaming = false) => ({ header, text, streaming });

  it('uses the header first, then markers, then the rates', () => {
    const decide = createFaultDecider('mock', () => 0);
    const options = withFaults({ error_rate: 1 });
    expect(decide(input('hi [[mock:fault=reset]]', 'hang'), options)).toEqual({ kind: 'hang' });
    expect(decide(input('hi [[mock:fault=reset]]'), options)).toEqual({ kind: 'reset' });
    expect(decide(input('hi'), options)).toEqual({ kind: 'error', status: 500 });
    expect(decide(input('hi [[mock:fault=none]]'), options)).toEqual({ kind: 'none' });
  });

  it('applies targeted markers only on the named instance', () => {
    const primary = createFaultDecider('primary', Math.random);
    const secondary = createFaultDecider('secondary', Math.random);
    const text = 'x [[mock:fault=error:503@primary]] [[mock:fault=slow_ttft:5@secondary]]';
    expect(primary(input(text), defaults)).toEqual({ kind: 'error', status: 503 });
    expect(secondary(input(text), defaults)).toEqual({ kind: 'slow_ttft', ttftMs: 5 });
  });

  it('faults only the first N identical requests with *N', () => {
    const decide = createFaultDecider('mock', Math.random);
    const text = 'retry me [[mock:fault=rate_limit:0*2]]';
    const kinds = [1, 2, 3].map(() => decide(input(text), defaults).kind);
    expect(kinds).toEqual(['rate_limit', 'rate_limit', 'none']);
    expect(decide(input('another text [[mock:fault=rate_limit:0*2]]'), defaults).kind).toBe('rate_limit');
  });

  it('partitions one draw into exclusive bands; stream cuts only on streams', () => {
    const options = withFaults({ hang_rate: 0.1, reset_rate: 0.1, rate_limit_rate: 0.1, error_rate: 0.1, stream_cut_rate: 0.1 });
    const at = (value: number, streaming: boolean) => createFaultDecider('mock', () => value)(input('x', undefined, streaming), options).kind;
    expect([0.05, 0.15, 0.25, 0.35, 0.45, 0.55].map((value) => at(value, true))).toEqual(['hang', 'reset', 'rate_limit', 'error', 'stream_cut', 'none']);
    expect(at(0.45, false)).toBe('none');
  });

  it('is reproducible with a seed', async () => {
    const { createSeededRandom } = await import('./mock-random.js');
    const options = withFaults({ error_rate: 0.5 });
    const run = () => {
      const decide = createFaultDecider('mock', createSeededRandom(42));
      return Array.from({ length: 20 }, () => decide(input('x'), options).kind);
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first.filter((kind) => kind === 'error').length).toBeGreaterThan(3);
  });
});
