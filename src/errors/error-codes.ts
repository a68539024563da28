/**
 * Every error code Switchyard emits, with its HTTP status and OpenAI error `type`.
 * Codes are a public contract: clients and dashboards match on them, so never rename one.
 * docs/errors.md documents each; a test checks that every code here is documented there.
 */
export const ERROR_CODES = {
  invalid_json: { status: 400, type: 'invalid_request_error', retryable: false },
  invalid_request: { status: 400, type: 'invalid_request_error', retryable: false },
  unsupported_feature: { status: 400, type: 'invalid_request_error', retryable: false },
  missing_api_key: { status: 401, type: 'authentication_error', retryable: false },
  invalid_api_key: { status: 401, type: 'authentication_error', retryable: false },
  permission_denied: { status: 403, type: 'permission_error', retryable: false },
  model_not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  method_not_allowed: { status: 405, type: 'invalid_request_error', retryable: false },
  request_too_large: { status: 413, type: 'invalid_request_error', retryable: false },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', retryable: false },
  request_headers_too_large: { status: 431, type: 'invalid_request_error', retryable: false },
  rate_limited: { status: 429, type: 'rate_limit_error', retryable: true },
  upstream_bad_request: { status: 400, type: 'invalid_request_error', retryable: false },
  upstream_auth_failed: { status: 502, type: 'api_error', retryable: false },
  upstream_rate_limited: { status: 429, type: 'rate_limit_error', retryable: true },
  upstream_error: { status: 502, type: 'api_error', retryable: true },
  upstream_timeout: { status: 504, type: 'api_error', retryable: true },
  upstream_unavailable: { status: 503, type: 'api_error', retryable: true },
  upstream_stream_interrupted: { status: 502, type: 'api_error', retryable: false },
  internal_error: { status: 500, type: 'api_error', retryable: false },
  policy_denied: { status: 403, type: 'permission_error', retryable: false },
  egress_denied: { status: 403, type: 'permission_error', retryable: false },
  token_invalid: { status: 401, type: 'authentication_error', retryable: false },
  token_expired: { status: 401, type: 'authentication_error', retryable: false },
  token_not_yet_valid: { status: 401, type: 'authentication_error', retryable: false },
  token_audience_mismatch: { status: 401, type: 'authentication_error', retryable: false },
  token_issuer_mismatch: { status: 401, type: 'authentication_error', retryable: false },
  token_algorithm_not_allowed: { status: 401, type: 'authentication_error', retryable: false },
  token_unknown_key: { status: 401, type: 'authentication_error', retryable: false },
  auth_throttled: { status: 429, type: 'rate_limit_error', retryable: true },
  access_denied_model: { status: 403, type: 'permission_error', retryable: false },
  access_denied_tier: { status: 403, type: 'permission_error', retryable: false },
  access_denied_data_class: { status: 403, type: 'permission_error', retryable: false },
  access_denied_tool: { status: 403, type: 'permission_error', retryable: false },
  access_denied_admin_scope: { status: 403, type: 'permission_error', retryable: false },
  identity_provider_unavailable: { status: 503, type: 'api_error', retryable: true },
  budget_exceeded: { status: 429, type: 'rate_limit_error', retryable: false },
  audit_unavailable: { status: 503, type: 'api_error', retryable: true },
} as const satisfies Record<string, { status: number; type: string; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;
