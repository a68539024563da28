import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';
import { twNationalIdDetector } from './tw-national-id.js';

runDetectorConformance({
  detector: twNationalIdDetector,
  valid: [
    { text: '申請人身分證字號：A123456789，請核對。', expected: ['A123456789'] },
    { text: '身分證 f222333444 已驗證', expected: ['f222333444'] },
    { text: '身分證Ｑ１１２２３３４４２。', expected: ['Ｑ１１２２３３４４２'] },
    { text: 'National ID: A123456789 and Q112233442', expected: ['A123456789', 'Q112233442'] },
    // Evasion: separators inside, glued to letters or digits (the checksum keeps this safe).
    { text: '身分證 A 123 456 789 請核對', expected: ['A 123 456 789'] },
    { text: '身分證A12-345-6789。', expected: ['A12-345-6789'] },
    { text: 'id no A.123.456.789', expected: ['A.123.456.789'] },
    { text: '身分證號碼xyzA123456789abc', expected: ['A123456789'] },
    { text: '證號A1234567890000', expected: ['A123456789'] },
  ],
  negatives: [
    '身分證字號：A123456788（檢查碼錯誤）',
    '身分證欄位「F222333440」檢查碼錯誤',
    '料號 XA123456789 不是身分證',
    '型號A1234567890',
    'uuid 3f2a1e12-3456-7890-abcd-ef1234567890',
    '訂單 A123456789-01',
    '序號 A12345678',
  ],
});
