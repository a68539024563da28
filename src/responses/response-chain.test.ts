import { describe, expect, it } from 'vitest';
import { contentDecision, findStored, saveResponse, type ResponseChain } from './response-chain.js';
import type { ResponseStore, StoredResponse } from './response-store.js';

/** The storage decisions, on an in-memory store with an injected clock. */
function memoryStore(): ResponseStore & { rows: Map<string, StoredResponse> } {
  const rows = new Map<string, StoredResponse>();
  return {
    rows,
    save: async (record) => void rows.set(record.id, record),
    get: async (id, principalId, now) => {
      const row = rows.get(id);
      return row && row.principalId === principalId && row.expiresAt > now ? row : undefined;
    },
    delete: async (id, principalId) => rows.get(id)?.principalId === principalId && rows.delete(id),
    purgeExpired: async (now) => {
      let purged = 0;
      for (const [id, row] of rows) if (row.expiresAt <= now && rows.delete(id)) purged += 1;
      return purged;
    },
  };
}

const toSave = (id: string, mode: 'none' | 'hash' | 'masked' | 'full') => ({
  id,
  principalId: 'alice',
  dataClass: 'confidential',
  mode,
  conversation: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }],
  response: { id },
});

describe('response chain', () => {
  it('keeps text only for the full capture mode', () => {
    expect(contentDecision('internal', 'full')).toEqual({ keep: true });
    for (const mode of ['masked', 'hash', 'none'] as const) {
      expect(contentDecision('confidential', mode)).toMatchObject({ keep: false, reason: expect.stringContaining(`'${mode}'`) });
    }
  });

  it('saves with the retention bound, purges expired records, and tells missing from not stored', async () => {
    let now = 1_000_000;
    const store = memoryStore();
    const chain: ResponseChain = { store, retentionHours: 2, now: () => now };
    await saveResponse(chain, toSave('resp_full', 'full'));
    await saveResponse(chain, toSave('resp_hash', 'hash'));
    expect(store.rows.get('resp_full')).toMatchObject({ expiresAt: 1_000_000 + 2 * 3_600_000, content: { response: { id: 'resp_full' } } });
    expect(store.rows.get('resp_hash')?.content).toBeUndefined();
    await expect(findStored(chain, 'resp_full', 'alice', null)).resolves.toMatchObject({ id: 'resp_full' });
    await expect(findStored(chain, 'resp_hash', 'alice', 'previous_response_id')).rejects.toMatchObject({ code: 'response_not_stored', param: 'previous_response_id' });
    await expect(findStored(chain, 'resp_full', 'bob', null)).rejects.toMatchObject({ code: 'response_not_found', status: 404 });
    now += 2 * 3_600_000;
    await expect(findStored(chain, 'resp_full', 'alice', null)).rejects.toMatchObject({ code: 'response_not_found' });
    await saveResponse(chain, toSave('resp_later', 'full'));
    expect([...store.rows.keys()]).toEqual(['resp_later']);
  });

  it('refuses every use with the setting named when storage is off', async () => {
    const chain: ResponseChain = { store: undefined, retentionHours: 24, now: () => 0 };
    await expect(findStored(chain, 'resp_x', 'alice', 'previous_response_id')).rejects.toMatchObject({ code: 'response_store_disabled', message: expect.stringContaining('responses.store.enabled') });
    await expect(saveResponse(chain, toSave('resp_x', 'full'))).resolves.toBeUndefined();
  });
});
