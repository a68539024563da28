import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';
import { personDetector } from './person.js';

runDetectorConformance({
  detector: personDetector,
  valid: [
    { text: '聯絡人：王志豪經理，電話另洽', expected: ['王志豪'] },
    { text: '出席：吳佩君、歐陽娜娜、張簡明華', expected: ['吳佩君', '歐陽娜娜', '張簡明華'] },
    { text: '請黃強立即回覆，並由許雅琪負責。', expected: ['黃強', '許雅琪'] },
    { text: '我是王國華，想查詢訂單', expected: ['王國華'] },
    { text: 'Hi Emily, please call Daniel Wright tomorrow.', expected: ['Emily', 'Daniel Wright'] },
    { text: '外籍看護 Maria Dela Cruz 與 Tran Thi Mai 已到職', expected: ['Maria Dela Cruz', 'Tran Thi Mai'] },
    { text: 'Thanks,\nOliver', expected: ['Oliver'] },
    { text: 'Mr. Thompson will attend.', expected: ['Thompson'] },
  ],
  negatives: [
    '這次展場的商品陳列很有質感，大家都很高興。',
    '林業補助與黃金週檔期，周末人潮很多。',
    '冰雪王國主題區下個月開幕',
    '如有任何問題請洽客服',
    '乙方應於簽約後付款，許多細節待確認。',
    'Acme Data Systems Inc. is located on Market Street.',
    'Please review the Services Agreement by Friday.',
  ],
});
