import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';
import { hasLongRun, secretDetector } from './secret.js';

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhYmMxMjMiLCJyb2xlIjoidXNlciJ9.Q8xv2mZrW3nP0kL7sTq9yB4cD1eF6gH5';

runDetectorConformance({
  detector: secretDetector,
  valid: [
    { text: 'OPENAI_API_KEY=sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY', expected: ['sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY'] },
    { text: 'aws key AKIAQ3EGW2Z7PLMN4XRT 外洩', expected: ['AKIAQ3EGW2Z7PLMN4XRT'] },
    { text: 'token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY2zA4 已撤銷', expected: ['ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY2zA4'] },
    { text: `Authorization: Bearer ${jwt}`, expected: [jwt] },
    { text: '臨時密碼：blue42!Sky，登入後變更', expected: ['blue42!Sky'] },
    { text: 'my password: "p@ss w0rd" is old', expected: ['p@ss w0rd'] },
    { text: 'db_password=Tr0ub4dor&3 host=db', expected: ['Tr0ub4dor&3'] },
    // The shortest token format (15 characters) still passes the detector's long-run gate.
    { text: 'slack xoxb-9fK2mQ7zL4 已撤銷', expected: ['xoxb-9fK2mQ7zL4'] },
  ],
  negatives: [
    'OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxx',
    'AZURE_OPENAI_KEY=YOUR_API_KEY',
    'password: ******',
    '密碼：請洽管理員',
    'VPN 帳號：lin.sf',
    'Authorization: Bearer <token>',
    'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  ],
});

describe('hasLongRun (the pre-check before the token patterns)', () => {
  it('answers as /[A-Za-z0-9_\\-+/.=~]{15}/.test for any text', () => {
    const pattern = /[A-Za-z0-9_\-+/.=~]{15}/;
    const unit = fc.oneof(fc.constantFrom('a', 'Z', '0', '_', '-', '+', '/', '.', '=', '~', ' ', ':', '中', '\n', 'é', '😀'), fc.string({ maxLength: 3, unit: 'binary' }));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }), (units) => {
        const text = units.join('');
        expect(hasLongRun(text)).toBe(pattern.test(text));
      }),
      { numRuns: 3000 },
    );
  });
});
