/**
 * Bytes a scan allocates: the heap grows by what a scan allocates as long as no collection runs,
 * so with a young generation large enough for a batch, heap growth ÷ scans = bytes per scan.
 * Every batch is checked for a collection during it (a `gc` performance entry); a batch that
 * saw one is discarded. ArrayBuffer backing stores (typed arrays) are counted separately.
 *   npm run bench:scan-alloc  (node --expose-gc --min-semi-space-size=128 --max-semi-space-size=128 …)
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { createScanner } from '../src/policy/scan-text.js';
import { buildBenchCorpus } from './scan-bench-corpus.js';

const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) {
  process.stderr.write('run through npm run bench:scan-alloc (needs --expose-gc and a 128 MB young generation)\n');
  process.exit(2);
}

let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

const scanner = createScanner();
let prompt = buildBenchCorpus(8_192);
while (Buffer.byteLength(prompt, 'utf8') > 8_192) prompt = prompt.slice(0, -1);
const corpus = buildBenchCorpus(2_000_000);
const corpusBytes = Buffer.byteLength(corpus, 'utf8');

/** Median bytes per scan over `batches` GC-free batches of `scans` scans of `text`. */
async function bytesPerScan(text: string, scans: number, batches: number): Promise<{ heap: number; arrayBuffers: number; discarded: number }> {
  for (let warm = 0; warm < 200; warm += 1) scanner.scan(text.length > 100_000 ? text.slice(0, 100_000) : text);
  const heap: number[] = [];
  const buffers: number[] = [];
  let discarded = 0;
  while (heap.length < batches && discarded < 20) {
    collect?.();
    // The observer reports asynchronously: let the forced collection's entry arrive first.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const seen = collections;
    const before = process.memoryUsage();
    for (let scan = 0; scan < scans; scan += 1) scanner.scan(text);
    const after = process.memoryUsage();
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (collections !== seen) {
      discarded += 1;
      continue;
    }
    heap.push((after.heapUsed - before.heapUsed) / scans);
    buffers.push((after.arrayBuffers - before.arrayBuffers) / scans);
  }
  const median = (values: number[]) => values.sort((left, right) => left - right)[Math.floor(values.length / 2)] ?? Number.NaN;
  return { heap: median(heap), arrayBuffers: median(buffers), discarded };
}

const small = await bytesPerScan(prompt, 100, 7);
const large = await bytesPerScan(corpus, 1, 5);
const result = {
  prompt8KB: { characters: prompt.length, heapBytesPerScan: Math.round(small.heap), arrayBufferBytesPerScan: Math.round(small.arrayBuffers), discardedBatches: small.discarded },
  corpus: {
    bytes: corpusBytes,
    heapBytesPerScan: Math.round(large.heap),
    heapBytesPerInputByte: Number((large.heap / corpusBytes).toFixed(2)),
    arrayBufferBytesPerScan: Math.round(large.arrayBuffers),
    discardedBatches: large.discarded,
  },
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(`8 KB prompt: ${result.prompt8KB.heapBytesPerScan} heap bytes + ${result.prompt8KB.arrayBufferBytesPerScan} ArrayBuffer bytes per scan`);
  console.log(`${(corpusBytes / 1e6).toFixed(2)} MB corpus: ${result.corpus.heapBytesPerScan} heap bytes per scan (${result.corpus.heapBytesPerInputByte} per input byte), ${result.corpus.arrayBufferBytesPerScan} ArrayBuffer bytes`);
  if (small.discarded + large.discarded > 0) console.log(`(${small.discarded + large.discarded} batches discarded: a collection ran during them)`);
}
