import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';
import { twUbnDetector } from './tw-ubn.js';

runDetectorConformance({
  detector: twUbnDetector,
  valid: [
    { text: '買受人統一編號：04595257', expected: ['04595257'] },
    { text: '客戶（統編22345670）報價', expected: ['22345670'] },
    { text: 'Tax ID (統編): 10000073', expected: ['10000073'] },
    { text: '統一編號２２３４５６７０，聯絡人', expected: ['２２３４５６７０'] },
  ],
  negatives: [
    '統一編號：22345671（檢查碼不符）',
    '發票號碼 AB-22345670',
    '訂單編號 22345670 已出貨',
    '本期中獎號碼 04595257',
    '22345670',
    '統編欄位請填 8 碼，電話 22345670',
  ],
});
