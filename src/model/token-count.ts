/** How many input tokens a request would be billed for, and who counted them. */
export interface TokenCount {
  inputTokens: number;
  /** `upstream`: the serving provider's own count; `estimated`: the gateway's tokenizer. */
  source: 'upstream' | 'estimated';
}
