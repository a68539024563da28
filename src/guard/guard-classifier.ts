import { readFile } from 'node:fs/promises';
import { GUARD_CATEGORIES, type GuardCategory, type GuardScores } from './guard-categories.js';
import { foldForGuard } from './fold-for-guard.js';

/**
 * An optional model-based classifier next to the heuristics. Off by default; when the operator
 * gives `guard.classifier.model_path`, a local ONNX model is loaded from disk (nothing is ever
 * downloaded) through `onnxruntime-node`, imported dynamically so it stays an optional
 * dependency. The heuristics stand alone; the classifier only adds evidence.
 *
 * Model contract (written next to the model as `<model_path>.json`):
 *   { "input": "features", "output": "probabilities", "dimensions": 4096,
 *     "labels": ["prompt_injection", ...] }
 * The input is a [1, dimensions] float32 vector of hashed, L2-normalised character 1–3-gram
 * counts of the folded text (`featurize` below); the output is one probability per label.
 */

export interface GuardClassifier {
  /** Probability per category (missing = 0). Must not throw for ordinary text. */
  classify(text: string): Promise<Partial<GuardScores>>;
}

export interface ClassifierMetadata {
  input: string;
  output: string;
  dimensions: number;
  labels: GuardCategory[];
}

/** FNV-1a of a short string, for feature hashing. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

export function featurize(text: string, dimensions: number): Float32Array {
  const folded = foldForGuard(text).slice(0, 32_768);
  const vector = new Float32Array(dimensions);
  for (let index = 0; index < folded.length; index += 1) {
    for (let size = 1; size <= 3 && index + size <= folded.length; size += 1) {
      const slot = hash(folded.slice(index, index + size)) % dimensions;
      vector[slot] = (vector[slot] ?? 0) + 1;
    }
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (let index = 0; index < dimensions; index += 1) vector[index] = (vector[index] ?? 0) / norm;
  return vector;
}

interface OnnxTensorLike {
  data: ArrayLike<number>;
}
interface OnnxSessionLike {
  run(feeds: Record<string, unknown>): Promise<Record<string, OnnxTensorLike>>;
}
interface OnnxRuntimeLike {
  InferenceSession: { create(path: string): Promise<OnnxSessionLike> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
}

/** Loads the operator's model; a missing runtime or model is a readable configuration error. */
export async function loadOnnxClassifier(modelPath: string): Promise<GuardClassifier> {
  const metadata = JSON.parse(await readFile(`${modelPath}.json`, 'utf8')) as ClassifierMetadata;
  if (!Array.isArray(metadata.labels) || metadata.labels.some((label) => !GUARD_CATEGORIES.includes(label))) {
    throw new Error(`${modelPath}.json: "labels" must list guard categories (${GUARD_CATEGORIES.join(', ')})`);
  }
  let runtime: OnnxRuntimeLike;
  try {
    // A computed specifier: the package is optional and not a dependency of Switchyard.
    const specifier = 'onnxruntime-node';
    runtime = (await import(specifier)) as OnnxRuntimeLike;
  } catch {
    throw new Error('guard.classifier.model_path is set but onnxruntime-node is not installed: run `npm install onnxruntime-node` next to Switchyard, or remove the classifier');
  }
  const session = await runtime.InferenceSession.create(modelPath);
  return {
    async classify(text) {
      const input = new runtime.Tensor('float32', featurize(text, metadata.dimensions), [1, metadata.dimensions]);
      const result = await session.run({ [metadata.input]: input });
      const output = result[metadata.output];
      const scores: Partial<GuardScores> = {};
      metadata.labels.forEach((label, index) => {
        scores[label] = Number(output?.data[index] ?? 0);
      });
      return scores;
    },
  };
}
