/** Which inbound API a request arrived on (audit, metrics and error serialisation use it). */
export type InboundApi = 'openai-chat' | 'openai-embeddings' | 'openai-responses' | 'openai-completions' | 'anthropic-messages' | 'anthropic-count-tokens';
