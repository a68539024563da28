/**
 * Bedrock embeddings through InvokeModel (POST /model/{modelId}/invoke): each model family has
 * its own body. Titan Text Embeddings takes one `inputText` per call (a batch would be several
 * calls, which the policy could not verify as one body, so more than one input is refused);
 * Cohere Embed takes a `texts` array. Token counts come from the
 * `x-amzn-bedrock-input-token-count` response header (Cohere's body has none).
 */
import type { EmbeddingRequest, EmbeddingResponse } from '../../model/embedding.js';
import type { JsonObject } from '../../model/json-value.js';
import { isRecord, WireProtocolError } from '../wire-protocol-error.js';

export type BedrockEmbeddingFamily = 'titan' | 'cohere';

export function bedrockEmbeddingFamily(model: string): BedrockEmbeddingFamily | undefined {
  if (model.includes('cohere.embed')) return 'cohere';
  if (model.includes('titan-embed')) return 'titan';
  return undefined;
}

/** Throws a plain Error naming the remedy when the request does not fit the family. */
export function encodeBedrockEmbeddingRequest(request: EmbeddingRequest, family: BedrockEmbeddingFamily): JsonObject {
  if (family === 'cohere') {
    return { texts: request.input, input_type: 'search_document', ...(request.dimensions !== undefined ? { output_dimension: request.dimensions } : {}) };
  }
  if (request.input.length !== 1) {
    throw new Error(`Titan embedding models take one input per request; this request has ${request.input.length}. Send one input at a time, or use a Cohere embedding model for batches.`);
  }
  return { inputText: request.input[0] ?? '', ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}) };
}

export function decodeBedrockEmbeddingResponse(body: unknown, family: BedrockEmbeddingFamily, meta: { model: string; inputTokens: number | undefined }): EmbeddingResponse {
  if (!isRecord(body)) throw new WireProtocolError('The upstream response is not an object.');
  let embeddings: number[][];
  let counted: number | undefined;
  if (family === 'titan') {
    if (!isNumbers(body.embedding)) throw new WireProtocolError('The upstream response has no embedding.');
    embeddings = [body.embedding];
    counted = typeof body.inputTextTokenCount === 'number' ? body.inputTextTokenCount : undefined;
  } else {
    // embedding_types answers {float: [...]}; without it, a bare array of vectors.
    const vectors = isRecord(body.embeddings) ? body.embeddings.float : body.embeddings;
    if (!Array.isArray(vectors) || !vectors.every(isNumbers)) throw new WireProtocolError('The upstream response has no embeddings.');
    embeddings = vectors;
  }
  return { model: meta.model, embeddings, usage: { inputTokens: meta.inputTokens ?? counted ?? 0 } };
}

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}
