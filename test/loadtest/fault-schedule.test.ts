import { describe, expect, it } from 'vitest';
import { mockOptionsSchema } from '../../src/providers/mock/mock-options-schema.js';
import { faultPatch, healPatch } from '../../src/loadtest/fault-schedule.js';
import { FAULT_KINDS, type FaultStep } from '../../src/loadtest/scenario-schema.js';

/** Every patch the schedule sends must be one the mock's PUT /__mock/options accepts. */
describe('fault schedule patches', () => {
  it.each(FAULT_KINDS)('%s switches on and heals with options the mock accepts', (kind) => {
    const fault: FaultStep = { kind, at_s: 0, for_s: 1, target: 'primary', rate: 0.5, status: 503, ms: 700 };
    const on = faultPatch(fault);
    const off = healPatch(fault, 5);
    expect(mockOptionsSchema.safeParse(on).success).toBe(true);
    expect(mockOptionsSchema.safeParse(off).success).toBe(true);
    // Healing touches exactly what the fault set.
    const keys = (patch: Record<string, unknown>) => [...Object.keys(patch).filter((key) => key !== 'faults'), ...Object.keys((patch.faults as object | undefined) ?? {})];
    expect(keys(off).every((key) => keys(on).includes(key) || key === 'ttft_ms')).toBe(true);
  });

  it('maps rates and values from the scenario', () => {
    expect(faultPatch({ kind: 'error_storm', at_s: 0, for_s: 1, target: 'primary', rate: 0.8, status: 503 })).toEqual({ faults: { error_rate: 0.8, error_status: 503 } });
    expect(faultPatch({ kind: 'slow_first_token', at_s: 0, for_s: 1, target: 'primary', rate: 1, status: 500, ms: 1500 })).toEqual({ ttft_ms: 1500 });
    expect(faultPatch({ kind: 'timeout', at_s: 0, for_s: 1, target: 'secondary', rate: 0.25, status: 500 })).toEqual({ faults: { hang_rate: 0.25 } });
  });
});
