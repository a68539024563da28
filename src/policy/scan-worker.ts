/**
 * Worker-thread entry for large scans (piscina). Builds the scanner a policy asks for once per
 * distinct configuration and scans the text it is given. Offsets are into the text as sent.
 */
import type { CustomDetectorConfig } from './detectors/custom-detectors.js';
import { BUILTIN_DETECTORS } from './detectors/index.js';
import { createScanner, type Scanner, type ScanEntity } from './scan-text.js';

export interface ScanTask {
  text: string;
  /** Detector ids or entity types switched off. */
  disable: string[];
  custom: CustomDetectorConfig[];
  minScore: number;
  baseDir?: string;
}

const scanners = new Map<string, Scanner>();

function scannerFor(task: ScanTask): Scanner {
  const key = JSON.stringify([task.disable, task.custom, task.minScore, task.baseDir]);
  let scanner = scanners.get(key);
  if (scanner === undefined) {
    const disabled = new Set(task.disable);
    scanner = createScanner({
      detectors: BUILTIN_DETECTORS.filter((detector) => !disabled.has(detector.id) && !disabled.has(detector.entity)),
      custom: task.custom.filter((detector) => !disabled.has(detector.id)),
      minScore: task.minScore,
      ...(task.baseDir === undefined ? {} : { baseDir: task.baseDir }),
    });
    scanners.set(key, scanner);
  }
  return scanner;
}

export default function scanInWorker(task: ScanTask): { entities: ScanEntity[] } {
  return { entities: scannerFor(task).scan(task.text).entities };
}
