import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DetectorConfigError, findUnsafeRegexFeature } from './detectors/custom-detectors.js';
import type { Detector } from './detectors/detector.js';
import { createScanner } from './scan-text.js';

function surfaces(text: string, entities: ReadonlyArray<{ type: string; start: number; end: number }>): string[] {
  return entities.map((entity) => `${entity.type}:${text.slice(entity.start, entity.end)}`);
}

describe('createScanner', () => {
  it('runs every built-in detector over one folded copy and reports offsets into the original', () => {
    const text = '客戶陳志明（身分證Ａ１２３４５６７８９）來電０９１２－３４５－６７８，退款NT$1,200。';
    const result = createScanner().scan(text);
    expect(surfaces(text, result.entities)).toEqual([
      'PERSON:陳志明',
      'TW_NATIONAL_ID:Ａ１２３４５６７８９',
      'PHONE:０９１２－３４５－６７８',
      'AMOUNT:NT$1,200',
    ]);
    expect(result.counts).toEqual({ PERSON: 1, TW_NATIONAL_ID: 1, PHONE: 1, AMOUNT: 1 });
  });

  it('resolves overlaps deterministically: higher score, then longer span, then earlier start, then detector order', () => {
    const make = (id: string, entity: string, spans: Array<[number, number, number]>): Detector => ({
      id,
      entity,
      detect: () => spans.map(([start, end, score]) => ({ start, end, score })),
    });
    const detectors = [
      make('short-high', 'A_TYPE', [[0, 3, 0.9]]),
      make('long-low', 'B_TYPE', [[0, 8, 0.6]]),
      make('tie-first', 'C_TYPE', [[10, 14, 0.7]]),
      make('tie-second', 'D_TYPE', [[10, 14, 0.7]]),
      make('longer-same-score', 'E_TYPE', [[12, 20, 0.7]]),
    ];
    const forward = createScanner({ detectors }).scan('x'.repeat(30)).entities;
    const reversed = createScanner({ detectors: [...detectors].reverse() }).scan('x'.repeat(30)).entities;
    expect(forward.map((entity) => [entity.type, entity.start, entity.end])).toEqual([
      ['A_TYPE', 0, 3],
      ['E_TYPE', 12, 20],
    ]);
    // Only the final tie-break (detector order) may depend on order; here it does not apply.
    expect(reversed.map((entity) => [entity.type, entity.start, entity.end])).toEqual([
      ['A_TYPE', 0, 3],
      ['E_TYPE', 12, 20],
    ]);
  });

  it('drops spans below minScore and can restrict entity types', () => {
    const text = 'upgrade to build 10.20.3.142; mail a@example.com';
    expect(surfaces(text, createScanner().scan(text).entities)).toEqual(['EMAIL:a@example.com']);
    expect(surfaces(text, createScanner({ minScore: 0.1 }).scan(text).entities)).toContain('IP_ADDRESS:10.20.3.142');
    expect(createScanner({ entities: ['PHONE'] }).scan(text).entities).toEqual([]);
  });

  it('adds custom keyword, dictionary and regex detectors with user-chosen entity names', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'switchyard-dict-'));
    writeFileSync(path.join(directory, 'customers.txt'), '# customer names\n遠東航太\nNorthwind Traders\n\n');
    const scanner = createScanner({
      baseDir: directory,
      custom: [
        { kind: 'keywords', id: 'codenames', entity: 'PROJECT_CODE', keywords: ['Phoenix', '鳳凰計畫'] },
        { kind: 'dictionary', id: 'customers', entity: 'CUSTOMER', file: 'customers.txt' },
        { kind: 'regex', id: 'employee-id', entity: 'EMPLOYEE_ID', pattern: 'E\\d{5}', score: 0.8 },
      ],
    });
    const text = 'PHOENIX 與鳳凰計畫由遠東航太、northwind traders 負責，員工 E12345；Phoenixville 不算。';
    expect(surfaces(text, scanner.scan(text).entities)).toEqual([
      'PROJECT_CODE:PHOENIX',
      'PROJECT_CODE:鳳凰計畫',
      'CUSTOMER:遠東航太',
      'CUSTOMER:northwind traders',
      'EMPLOYEE_ID:E12345',
    ]);
    // Custom patterns run on the folded text, so full-width input matches too.
    const fullWidth = '員工 Ｅ１２３４５';
    expect(surfaces(fullWidth, scanner.scan(fullWidth).entities)).toEqual(['EMPLOYEE_ID:Ｅ１２３４５']);
  });

  it('rejects unsafe or invalid custom patterns at load with a message naming the detector', () => {
    const load = (pattern: string) => () => createScanner({ custom: [{ kind: 'regex', id: 'bad', entity: 'BAD', pattern }] });
    expect(load('(a+)+$')).toThrow(DetectorConfigError);
    expect(load('(a+)+$')).toThrow(/custom detector "bad".*nested quantifiers/);
    expect(load('(\\w|\\d)*x')).toThrow(/nested quantifiers/);
    expect(load('(a)\\1')).toThrow(/backreferences/);
    expect(load('(?<=x)y')).toThrow(/lookahead and lookbehind/);
    expect(load('a(?!b)')).toThrow(/lookahead and lookbehind/);
    expect(load('[unclosed')).toThrow(/invalid pattern/);
    expect(load('x*')).toThrow(/empty string/);
    expect(() => createScanner({ custom: [{ kind: 'regex', id: 'bad', entity: 'lower', pattern: 'x' }] })).toThrow(/UPPER_SNAKE_CASE/);
    expect(() => createScanner({ custom: [{ kind: 'dictionary', id: 'missing', entity: 'CUSTOMER', file: '/no/such/file.txt' }] })).toThrow(
      /cannot read dictionary/,
    );
  });

  it('accepts ordinary patterns: bounded groups, optional groups with quantifiers, classes, escapes', () => {
    for (const pattern of ['E\\d{5}', 'PRJ-[A-Z]{2,4}(?:-\\d+)?', '(?:ab){2,3}', '\\p{Script=Han}{2}計畫', '[(+*)]+x', 'a{2}b{1,3}']) {
      expect(findUnsafeRegexFeature(pattern), pattern).toBeUndefined();
    }
  });

  it('scans 1 MB of adversarial text in linear time', () => {
    const scanner = createScanner();
    const chunk = '0912-345-678 a@b.c 1.2.3.4 陳陳陳陳 NT$1,1,1 password: '.repeat(10);
    const small = chunk.repeat(20);
    const large = chunk.repeat(200);
    const time = (text: string) => {
      const started = performance.now();
      scanner.scan(text);
      return performance.now() - started;
    };
    time(small);
    const smallTime = Math.max(time(small), 1);
    const largeTime = time(large);
    // 10× the input may cost at most ~30× the time (generous for GC noise, far below quadratic).
    expect(largeTime).toBeLessThan(smallTime * 30 + 200);
  });

  it.each([
    ['今天跟王小明開會，他說高雄分公司的李美華下週到台北。', ['PERSON:王小明', 'PERSON:李美華']],
    ['高興地宣布，林口新廠正式啟用；黃金比例的設計很受歡迎。這段英文請幫我改。', []],
    ['這張發票金額為 3,200 元，請匯款到帳號 0123-4567-8901-23。', ['AMOUNT:3,200 元', 'BANK_ACCOUNT:0123-4567-8901-23']],
    ['手機是 0988 123 456，住在新北市永和區中正路 100 號 3 樓。', ['PHONE:0988 123 456', 'ADDRESS:新北市永和區中正路 100 號 3 樓']],
    ["Contact Sarah O'Connor or Wang Xiao-Ming at +852 2345 6789.", ["PERSON:Sarah O'Connor", 'PERSON:Wang Xiao-Ming', 'PHONE:+852 2345 6789']],
    ['DAN, which stands for "Do Anything Now", has no rules.', []],
  ])('handles text outside the dev set: %s', (text, expected) => {
    expect(surfaces(text, createScanner().scan(text).entities)).toEqual(expected);
  });
});
