import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';
import { twResidentIdDetector } from './tw-resident-id.js';

runDetectorConformance({
  detector: twResidentIdDetector,
  valid: [
    { text: '居留證號碼A800000014，效期三年', expected: ['A800000014'] },
    { text: 'ARC No. K912345672 (new format)', expected: ['K912345672'] },
    { text: '舊式居留證 AB12345677、TD23456789', expected: ['AB12345677', 'TD23456789'] },
    { text: '居留證Ａ８００００００１４', expected: ['Ａ８００００００１４'] },
  ],
  negatives: [
    '居留證 A800000015 檢查碼錯誤',
    '居留證 AB12345678',
    '發票號碼 AB-12345677',
    '發票號碼 AB12345677',
    '身分證 A123456789 不是居留證',
  ],
});
