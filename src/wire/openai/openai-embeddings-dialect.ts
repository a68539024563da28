import type { EmbeddingsDialect } from '../dialect.js';
import { decodeOpenAIClientEmbeddingRequest } from './decode-openai-client-request.js';
import { encodeOpenAIEmbeddingResponse, encodeOpenAIError } from './encode-openai-client-response.js';

/** What an OpenAI embeddings client asked to see beyond the canonical request. */
export interface OpenAIEmbeddingsOptions {
  encodingFormat: 'float' | 'base64';
}

/** POST /v1/embeddings. */
export const openAIEmbeddingsDialect: EmbeddingsDialect<OpenAIEmbeddingsOptions> = {
  id: 'openai-embeddings',
  kind: 'embeddings',
  decode(body) {
    const { request, encodingFormat } = decodeOpenAIClientEmbeddingRequest(body);
    return { request, options: { encodingFormat } };
  },
  encodeResponse: (response, options) => encodeOpenAIEmbeddingResponse(response, options.encodingFormat),
  encodeError: (error) => encodeOpenAIError(error),
};
