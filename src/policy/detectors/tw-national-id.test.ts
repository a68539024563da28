import { runDetectorConformance } from './detector-conformance.js';
import { twNationalIdDetector } from './tw-national-id.js';

runDetectorConformance({
  detector: twNationalIdDetector,
  valid: [
    { text: '申請人身分證字號：A123456789，請核對。', expected: ['A123456789'] },
    { text: '身分證 f222333444 已驗證', expected: ['f222333444'] },
    { text: '身分證Ｑ１１２２３３４４２。', expected: ['Ｑ１１２２３３４４２'] },
    { text: 'National ID: A123456789 and Q112233442', expected: ['A123456789', 'Q112233442'] },
  ],
  negatives: [
    '身分證字號：A123456788（檢查碼錯誤）',
    '身分證欄位「F222333440」檢查碼錯誤',
    '料號 XA123456789 與 A1234567890 都不是身分證',
    '訂單 A123456789-01',
    '序號 A12345678',
  ],
});
