import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';
import { phoneDetector } from './phone.js';

runDetectorConformance({
  detector: phoneDetector,
  valid: [
    { text: '手機 0912-345-678，市話(02)2345-6789', expected: ['0912-345-678', '(02)2345-6789'] },
    { text: '電話：+886 912 345 678 或 +886-2-2345-6789', expected: ['+886 912 345 678', '+886-2-2345-6789'] },
    { text: '請撥 03-456-7890 分機 123，傳真 04-2345-6789', expected: ['03-456-7890 分機 123', '04-2345-6789'] },
    { text: 'Call +1 (212) 555-0100 ext. 45 or (415) 555-0199.', expected: ['+1 (212) 555-0100 ext. 45', '(415) 555-0199'] },
    { text: 'Tel +44 20 7946 0958, +81-3-1234-5678#99', expected: ['+44 20 7946 0958', '+81-3-1234-5678#99'] },
    { text: '聯絡電話０９１２３４５６７８', expected: ['０９１２３４５６７８'] },
  ],
  negatives: [
    '請轉分機 1234 找總務',
    '出貨日期 2025-01-18，訂單編號 2344425187',
    '保單號碼 0416-367323-48',
    '帳戶 004-12345678901',
    '版本 1.2.3.4',
    '共 0912 件',
  ],
});
