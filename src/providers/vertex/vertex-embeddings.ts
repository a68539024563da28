/**
 * Vertex AI text embeddings (publishers/google/models/{m}:predict): one instance per input,
 * each prediction with its vector and token count. The Generative Language API's
 * batchEmbedContents does not exist on Vertex.
 */
import type { EmbeddingRequest, EmbeddingResponse } from '../../model/embedding.js';
import type { JsonObject } from '../../model/json-value.js';
import { protocolVocabulary, type WireLayout } from '../../model/outbound-request.js';
import { isRecord, WireProtocolError } from '../../wire/wire-protocol-error.js';

export function encodeVertexEmbeddingRequest(request: EmbeddingRequest): JsonObject {
  return {
    instances: request.input.map((content) => ({ content })),
    ...(request.dimensions !== undefined ? { parameters: { outputDimensionality: request.dimensions } } : {}),
  };
}

export function decodeVertexEmbeddingResponse(body: unknown, model: string): EmbeddingResponse {
  const predictions = isRecord(body) && Array.isArray(body.predictions) ? body.predictions : undefined;
  if (predictions === undefined) throw new WireProtocolError('The upstream response has no predictions.');
  let inputTokens = 0;
  const embeddings = predictions.map((prediction) => {
    const embedding = isRecord(prediction) && isRecord(prediction.embeddings) ? prediction.embeddings : {};
    const values = embedding.values;
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'number')) throw new WireProtocolError('A prediction has no embedding values.');
    const count = isRecord(embedding.statistics) ? embedding.statistics.token_count : undefined;
    if (typeof count === 'number') inputTokens += count;
    return values as number[];
  });
  return { model, embeddings, usage: { inputTokens } };
}

export function vertexEmbeddingLayout(model: string): WireLayout {
  return { vocabulary: protocolVocabulary(new Set(['instances', 'content', 'parameters', 'outputDimensionality']), model), joined: [], jsonText: [], media: [] };
}
