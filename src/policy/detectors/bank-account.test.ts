import { bankAccountDetector } from './bank-account.js';
import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';

runDetectorConformance({
  detector: bankAccountDetector,
  valid: [
    { text: '薪轉帳戶(012) 1234-5678-9012；', expected: ['(012) 1234-5678-9012'] },
    { text: '請匯款至004-12345678901，戶名王小明', expected: ['004-12345678901'] },
    { text: '玉山銀行（808）帳號 123456789012', expected: ['123456789012'] },
    { text: 'Please wire to account 822-123456789012 (CTBC Bank).', expected: ['822-123456789012'] },
    { text: '撥款帳戶：８０８－１２３４５６７８９０１２', expected: ['８０８－１２３４５６７８９０１２'] },
  ],
  negatives: [
    '保單號碼 0416-367323-48，繳費參考編號 909-58781966-5888',
    '訂單編號 123456789012',
    '123456789012',
    '帳戶手機 0912-345-678',
    '分行代碼 0123',
    '帳號：wang_01',
  ],
});
