// Scenarios whose config has `bootstrap_admin_key` (full-pipeline.yaml) are called with a
// virtual key, created through the gateway's admin API and stored in its key store, as a real
// deployment's clients would be; the others use the static key BENCH_KEY.
const BENCH_ADMIN_KEY = 'sy-bench-admin-key-not-secret-0123456789';

/** Environment the gateway needs for such a config (the names it references). */
export const BENCH_KEY_ENVIRONMENT = { BENCH_ADMIN_KEY, BENCH_KEY_STORE_SECRET: 'bench-key-store-secret-not-secret-0123456789' };

/** The bearer key to call a started gateway with. */
export async function keyFor(configText, base, staticKey) {
  if (!configText.includes('bootstrap_admin_key')) return staticKey;
  const response = await fetch(`${base}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ owner: 'bench', name: 'benchmark load', department: 'engineering' }),
  });
  const body = await response.json();
  if (!response.ok || typeof body.key !== 'string') throw new Error(`POST /admin/keys answered ${response.status}: ${JSON.stringify(body)}`);
  return body.key;
}
