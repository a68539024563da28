import type { AuditStore } from '../../../src/audit/audit-store.js';

/** Test helper: an audit store that fails on demand, as an unreachable database would. */
export function createFlakyAuditStore(inner: AuditStore): AuditStore & { down: boolean } {
  const flaky = {
    down: false,
    check() {
      if (flaky.down) throw new Error('connect ECONNREFUSED (simulated)');
    },
  };
  return Object.assign(flaky, {
    append: async (...args: Parameters<AuditStore['append']>) => (flaky.check(), inner.append(...args)),
    existingIds: async (...args: Parameters<AuditStore['existingIds']>) => (flaky.check(), inner.existingIds(...args)),
    readRows: inner.readRows,
    seqBounds: inner.seqBounds,
    query: inner.query,
    lastRecord: inner.lastRecord,
    recordAt: inner.recordAt,
    checkpoints: inner.checkpoints,
    addCheckpoint: async (...args: Parameters<AuditStore['addCheckpoint']>) => (flaky.check(), inner.addCheckpoint(...args)),
    deleteThrough: inner.deleteThrough,
  });
}
