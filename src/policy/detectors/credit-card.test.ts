import { creditCardDetector } from './credit-card.js';
import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';

runDetectorConformance({
  detector: creditCardDetector,
  valid: [
    { text: '信用卡 4111111111111111 刷卡', expected: ['4111111111111111'] },
    { text: 'card 5400 0000 0000 0005 exp 12/29', expected: ['5400 0000 0000 0005'] },
    { text: 'JCB 3530-1111-1111-1116，謝謝', expected: ['3530-1111-1111-1116'] },
    { text: '卡號４０１２８８８８８８８８１８８１', expected: ['４０１２８８８８８８８８１８８１'] },
  ],
  negatives: [
    '信用卡 4111111111111112（Luhn 錯誤）',
    '卡號顯示為 **** **** **** 1111',
    '末四碼 0005',
    '物流追蹤碼 4111111111111111',
    '會員編號 5400000000000005',
    '9111111111111111',
  ],
});
