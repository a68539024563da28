/**
 * Scan benchmark: throughput on mixed zh/en text and the latency a scan adds to an 8 KB prompt.
 *   node --import tsx bench/scan-bench.ts [--json]
 * The corpus is generated here (ordinary prose with PII sprinkled in at a realistic density),
 * so the figures do not depend on any dataset being present.
 */
import { performance } from 'node:perf_hooks';
import { createScanner } from '../src/policy/scan-text.js';

const PROSE = [
  '本週的專案會議確認了第三季的交付時程，請各組在週五前更新進度。',
  'The deployment pipeline now runs integration tests in parallel, which cut build time in half.',
  '客服團隊反映，新版介面的搜尋功能比舊版更直覺，但匯出報表仍然太慢。',
  'Please review the attached design document and leave comments before the architecture review.',
  '行銷部計畫在下個月推出會員回饋活動，預計吸引更多年輕族群加入。',
  'We should cache the model responses for identical prompts to reduce latency and cost.',
  '資安組提醒大家不要把正式環境的金鑰貼到聊天室或公開的程式碼庫。',
  'Quarterly revenue grew steadily, driven mostly by enterprise renewals in the APAC region.',
];

const PII = [
  '客戶王小明（身分證A123456789）來電，手機0912-345-678。',
  'Contact Emily Carter at emily.carter@example.com or +1 (415) 555-0199.',
  '請匯款新台幣120萬元至帳號 004-12345678901，統一編號 04595257。',
  '寄送地址：106臺北市大安區復興南路一段390號2樓。',
  'Server 10.0.0.12 rejected the token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY2zA4.',
  '信用卡 4111 1111 1111 1111 已扣款 NT$3,200。',
];

function buildCorpus(targetLength: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let index = 0; length < targetLength; index += 1) {
    // Roughly one PII sentence per five prose sentences.
    const sentence = index % 6 === 5 ? PII[index % PII.length] : PROSE[index % PROSE.length];
    parts.push(sentence ?? '');
    length += (sentence ?? '').length + 1;
  }
  return parts.join('\n').slice(0, targetLength);
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

const createdAt = performance.now();
const scanner = createScanner();
const createMs = performance.now() - createdAt;

// Throughput: ~2 MB of text (UTF-16 code units), several rounds after a warm-up.
const corpus = buildCorpus(2_000_000);
const corpusBytes = Buffer.byteLength(corpus, 'utf8');
scanner.scan(corpus.slice(0, 200_000));
const rounds = 3;
const throughputStart = performance.now();
let entities = 0;
for (let round = 0; round < rounds; round += 1) entities += scanner.scan(corpus).entities.length;
const throughputSeconds = (performance.now() - throughputStart) / 1000;
const megabytesPerSecond = (corpusBytes * rounds) / 1_000_000 / throughputSeconds;

// Latency: an 8 KB (UTF-8) prompt scanned 1,000 times.
let prompt = buildCorpus(8_192);
while (Buffer.byteLength(prompt, 'utf8') > 8_192) prompt = prompt.slice(0, -1);
for (let warm = 0; warm < 200; warm += 1) scanner.scan(prompt);
const samples: number[] = [];
for (let iteration = 0; iteration < 1_000; iteration += 1) {
  const started = performance.now();
  scanner.scan(prompt);
  samples.push(performance.now() - started);
}
samples.sort((left, right) => left - right);

const result = {
  node: process.version,
  scannerCreateMs: Number(createMs.toFixed(2)),
  throughput: {
    corpusMB: Number((corpusBytes / 1_000_000).toFixed(2)),
    rounds,
    entitiesPerRound: entities / rounds,
    MBPerSecond: Number(megabytesPerSecond.toFixed(2)),
  },
  prompt8KB: {
    bytes: Buffer.byteLength(prompt, 'utf8'),
    characters: prompt.length,
    p50Ms: Number(percentile(samples, 0.5).toFixed(3)),
    p99Ms: Number(percentile(samples, 0.99).toFixed(3)),
    maxMs: Number((samples[samples.length - 1] ?? Number.NaN).toFixed(3)),
  },
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result));
} else {
  console.log(`scan benchmark (${result.node})`);
  console.log(`  scanner build:        ${result.scannerCreateMs} ms`);
  console.log(`  throughput:           ${result.throughput.MBPerSecond} MB/s (UTF-8) on ${result.throughput.corpusMB} MB mixed zh/en, ${result.throughput.entitiesPerRound} entities per pass`);
  console.log(`  8 KB prompt latency:  p50 ${result.prompt8KB.p50Ms} ms, p99 ${result.prompt8KB.p99Ms} ms, max ${result.prompt8KB.maxMs} ms (${result.prompt8KB.characters} characters)`);
}
