import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';
import { emailDetector } from './email.js';

runDetectorConformance({
  detector: emailDetector,
  valid: [
    { text: '請來信service@example.com.tw，謝謝', expected: ['service@example.com.tw'] },
    { text: 'From: Jane <jane.doe+news@mail.example.org>', expected: ['jane.doe+news@mail.example.org'] },
    { text: 'user=a_b-c@x-y.io src=1', expected: ['a_b-c@x-y.io'] },
    { text: '信箱：ｍｉｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ', expected: ['ｍｉｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ'] },
  ],
  negatives: ['npm i lodash@4.17.21 react@18.2.0', 'git@github', '@mention 一下', 'a@b'],
});
