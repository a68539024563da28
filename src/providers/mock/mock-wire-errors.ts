/**
 * Error bodies exactly as each vendor sends them, so adapters are tested against the real
 * shapes: OpenAI `{"error":{"message","type","param","code"}}`, Azure OpenAI
 * `{"error":{"code","message"}}`, Anthropic `{"type":"error","error":{"type","message"}}`.
 */

export type MockDialect = 'openai' | 'azure' | 'anthropic';

const OPENAI: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again later.' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later' },
};

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const AZURE_MESSAGES: Record<number, string> = {
  401: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
  404: 'The API deployment for this resource does not exist.',
  429: 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API have exceeded the rate limit of your current pricing tier. Please retry after the time in the Retry-After header.',
  500: 'The server had an error while processing your request.',
};

/** The vendor's error body for `status`; `message` overrides the stock text (e.g. a 400's reason). */
export function vendorErrorBody(dialect: MockDialect, status: number, message?: string): Record<string, unknown> {
  if (dialect === 'anthropic') {
    const type = ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    return { type: 'error', error: { type, message: message ?? `Mock upstream error (HTTP ${status}).` } };
  }
  if (dialect === 'azure') {
    return { error: { code: status === 500 ? 'InternalServerError' : String(status), message: message ?? AZURE_MESSAGES[status] ?? `Mock upstream error (HTTP ${status}).` } };
  }
  const stock = OPENAI[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
    message: `Mock upstream error (HTTP ${status}).`,
  };
  return { error: { message: message ?? stock.message, type: stock.type, param: null, code: stock.code } };
}

/** Whether the request carries the expected key, where that vendor's SDK puts it. */
export function hasValidKey(dialect: MockDialect, headers: Record<string, string | string[] | undefined>, expected: string): boolean {
  const bearer = headers.authorization === `Bearer ${expected}`;
  if (dialect === 'openai') return bearer;
  if (dialect === 'azure') return headers['api-key'] === expected || bearer;
  return headers['x-api-key'] === expected || bearer;
}

export function authErrorMessage(dialect: MockDialect): string | undefined {
  return dialect === 'anthropic' ? 'invalid x-api-key' : undefined;
}
