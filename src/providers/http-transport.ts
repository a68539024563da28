/**
 * The only way an adapter talks to its upstream. The real implementation is an undici pool per
 * deployment (upstream-pool.ts); the conformance suite swaps in a transport that replays
 * recorded wire fixtures, so adapters are tested on the bytes providers really send.
 */
export interface UpstreamHttpRequest {
  method: 'GET' | 'POST';
  /** Path and query, appended to the deployment's base URL path. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /**
   * `text`: the caller reads the body whole with `text()` (JSON calls), so a transport may collect
   * it as it arrives instead of offering it as a stream (upstream-pool.ts does). `body` must still work.
   */
  read?: 'text';
}

export interface UpstreamHttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** Raw body chunks; consuming them is the caller's job (or call text()). */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
}

export interface HttpTransport {
  request(request: UpstreamHttpRequest): Promise<UpstreamHttpResponse>;
  close(): Promise<void>;
}
