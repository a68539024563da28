import { addressDetector } from './address.js';
import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';

runDetectorConformance({
  detector: addressDetector,
  valid: [
    { text: '寄至106臺北市大安區復興南路一段390號2樓之1，謝謝', expected: ['106臺北市大安區復興南路一段390號2樓之1'] },
    { text: '住址：花蓮縣吉安鄉中山路三段12巷5弄7號', expected: ['花蓮縣吉安鄉中山路三段12巷5弄7號'] },
    { text: '通訊地址為大安區和平東路二段106號', expected: ['大安區和平東路二段106號'] },
    { text: '公司在台中市北屯區崇德路10之2號5F。', expected: ['台中市北屯區崇德路10之2號5F'] },
    {
      text: 'Ship to 3F., No. 12, Aly. 3, Ln. 45, Sec. 2, Zhongshan N. Rd., Zhongshan Dist., Taipei City 104, Taiwan (R.O.C.)',
      expected: ['3F., No. 12, Aly. 3, Ln. 45, Sec. 2, Zhongshan N. Rd., Zhongshan Dist., Taipei City 104, Taiwan (R.O.C.)'],
    },
    { text: 'Office: 350 Fifth Avenue, Suite 5400, New York, NY 10118, USA.', expected: ['350 Fifth Avenue, Suite 5400, New York, NY 10118, USA'] },
    { text: '地址：高雄市前鎮區成功二路８８號１２樓', expected: ['高雄市前鎮區成功二路８８號１２樓'] },
  ],
  negatives: [
    '台北市政府今天公布新制，信義區與內湖區率先試辦。',
    '我住在信義路附近',
    '新北市板橋區今天午後有雷陣雨',
    'The office is on Market Street in San Francisco.',
    '中山路很塞車',
  ],
});
