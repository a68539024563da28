/** Token counts of one call, as metering, audit and the inbound encoders read them. */
export interface Usage {
  /** Every input token, cache reads and writes included. */
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`, read from the provider's prompt cache (billed at the cache-read price). */
  cachedInputTokens?: number;
  /** Of `inputTokens`, written to the provider's prompt cache (billed at the cache-write price). */
  cacheWriteInputTokens?: number;
  /** Of `cacheWriteInputTokens`, written with the 1-hour lifetime (a dearer write price). */
  cacheWrite1hInputTokens?: number;
  /** True when counted by the gateway's tokenizer because the provider reported none. */
  estimated?: boolean;
}
