import { amountDetector } from './amount.js';
import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';

runDetectorConformance({
  detector: amountDetector,
  valid: [
    { text: '本月應繳NT$1,200，另收NTD 35,000', expected: ['NT$1,200', 'NTD 35,000'] },
    { text: '總價新台幣120萬元，訂金新臺幣壹佰貳拾萬元整', expected: ['新台幣120萬元', '新臺幣壹佰貳拾萬元整'] },
    { text: '營收3.5億元，退款1,500元。', expected: ['3.5億元', '1,500元'] },
    { text: 'Budget US$50,000 and USD 1.2M, deposit $300.', expected: ['US$50,000', 'USD 1.2M', '$300'] },
    { text: '應繳ＮＴ＄３８，９００。', expected: ['ＮＴ＄３８，９００'] },
    { text: '合計 35,000 NTD', expected: ['35,000 NTD'] },
  ],
  negatives: [
    '官網瀏覽量達3.5億次，APP 下載120萬人次',
    '共印製 1,200 份，成長 15%',
    '全文共 140 頁，2023 年度',
    '密碼 Rocket$7034',
    '第三季成長 12.5 個百分點',
  ],
});
