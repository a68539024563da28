/** Token counts of one call, as metering, audit and the inbound encoders read them. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  /** True when counted by the gateway's tokenizer because the provider reported none. */
  estimated?: boolean;
}
