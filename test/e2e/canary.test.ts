import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * Canary split through a real gateway process: a 10 % split lands within statistical bounds,
 * sticky per user (the `user` field, or the principal when there is none), and cohorts always
 * get the canary. The served deployment is read from `x-switchyard-deployment`. The deployments
 * are in-process mocks (`provider: mock`), so thousands of requests stay fast.
 */

const CLIENT_KEY = 'sy-e2e-canary-client-0123456789';
const OTHER_KEY = 'sy-e2e-canary-other-0123456789';
const RESEARCH_KEY = 'sy-e2e-canary-research-0123456789';

const STABLE = 'stable-dep';
const CANARY = 'canary-dep';

let gateway: RunningProcess;

const CONFIG = `
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: canary-client, key: "\${env:E2E_CANARY_CLIENT_KEY}" }
    - { id: canary-other, key: "\${env:E2E_CANARY_OTHER_KEY}" }
    - { id: researcher, key: "\${env:E2E_CANARY_RESEARCH_KEY}", department: research }
# The split is under test, not the ledger: keep thousands of requests cheap.
audit: { enabled: false }
deployments:
  - { id: ${STABLE}, tier: on-prem, provider: mock }
  - { id: ${CANARY}, tier: on-prem, provider: mock }
models:
  - alias: chat
    targets: [{ deployment: ${STABLE}, model: m }, { deployment: ${CANARY}, model: m, variant: canary }]
    canary: { variant: canary, percent: 10, sticky_by: user, departments: [research] }
  - alias: chat-per-request
    targets: [{ deployment: ${STABLE}, model: m }, { deployment: ${CANARY}, model: m, variant: canary }]
    canary: { variant: canary, percent: 10, sticky_by: request }
`;

beforeAll(async () => {
  gateway = await startSwitchyard(['serve', '--config', writeTempConfig(CONFIG)], {
    E2E_CANARY_CLIENT_KEY: CLIENT_KEY,
    E2E_CANARY_OTHER_KEY: OTHER_KEY,
    E2E_CANARY_RESEARCH_KEY: RESEARCH_KEY,
  });
});

afterAll(async () => {
  await gateway?.stop();
});

interface Sent {
  key?: string;
  model?: string;
  user?: string;
}

/** One chat request; resolves with the deployment that served it. */
async function served({ key = CLIENT_KEY, model = 'chat', user }: Sent): Promise<string> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'which variant?' }], ...(user !== undefined ? { user } : {}) }),
  });
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  const deployment = response.headers.get('x-switchyard-deployment');
  expect([STABLE, CANARY]).toContain(deployment);
  return deployment!;
}

/** Runs `requests` with at most `concurrency` in flight; results in input order. */
async function pool<T = string>(requests: Sent[], concurrency = 24, send: (request: Sent) => Promise<T> = served as (request: Sent) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(requests.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const index = next++;
        results[index] = await send(requests[index]!);
      }
    }),
  );
  return results;
}

/** The 4-sigma interval of a binomial count (n draws, probability p). */
function fourSigma(n: number, p: number): [number, number] {
  const sigma = Math.sqrt(n * p * (1 - p));
  return [Math.ceil(n * p - 4 * sigma), Math.floor(n * p + 4 * sigma)];
}

const N = 2_000;
const [LOW, HIGH] = fourSigma(N, 0.1); // 147 … 253

describe('canary split', () => {
  let byUser: Map<string, string>;

  it(`sends 10 % of ${N} users to the canary, within 4 sigma (${LOW}–${HIGH})`, async () => {
    const users = Array.from({ length: N }, (_, index) => `user-${index}`);
    const deployments = await pool(users.map((user) => ({ user })));
    byUser = new Map(users.map((user, index) => [user, deployments[index]!]));
    const canary = deployments.filter((deployment) => deployment === CANARY).length;
    expect(canary).toBeGreaterThanOrEqual(LOW);
    expect(canary).toBeLessThanOrEqual(HIGH);
  });

  it('keeps every user on the variant they were first given (sticky by the user field)', async () => {
    // Every canary user plus as many stable ones, each asked again, from a different key too:
    // the hash of the user id decides, not the request or the caller.
    const canaryUsers = [...byUser].filter(([, deployment]) => deployment === CANARY).map(([user]) => user);
    const stableUsers = [...byUser].filter(([, deployment]) => deployment === STABLE).map(([user]) => user).slice(0, canaryUsers.length);
    const again = [...canaryUsers, ...stableUsers].flatMap((user) => [{ user }, { user, key: OTHER_KEY }]);
    const deployments = await pool(again);
    const moved = again.filter((request, index) => deployments[index] !== byUser.get(request.user!));
    expect(moved).toEqual([]);
  });

  it('without a user field, the principal is the sticky subject', async () => {
    const client = await pool(Array.from({ length: 40 }, () => ({})));
    const other = await pool(Array.from({ length: 40 }, () => ({ key: OTHER_KEY })));
    expect(new Set(client).size).toBe(1);
    expect(new Set(other).size).toBe(1);
  });

  it('a cohort (department research) always gets the canary, whatever the user', async () => {
    const deployments = await pool(Array.from({ length: 60 }, (_, index) => ({ key: RESEARCH_KEY, user: `user-${index}` })));
    expect(new Set(deployments)).toEqual(new Set([CANARY]));
  });

  it(`sticky_by: request draws per request: 10 % of ${N} requests from one user, within 4 sigma`, async () => {
    const deployments = await pool(Array.from({ length: N }, () => ({ model: 'chat-per-request', user: 'one-user' })));
    const canary = deployments.filter((deployment) => deployment === CANARY).length;
    expect(canary).toBeGreaterThanOrEqual(LOW);
    expect(canary).toBeLessThanOrEqual(HIGH);
  });
});
