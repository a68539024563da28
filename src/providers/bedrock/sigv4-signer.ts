/**
 * Signs an upstream request with AWS Signature Version 4 (@smithy/signature-v4, the AWS SDK's
 * own signer). The signature covers the host, the full path (the base URL's path included, as
 * the transport joins them), the query, the headers and the SHA-256 of the body — so it must be
 * computed over the exact bytes sent, i.e. after the policy sealed the body. The signer is loaded
 * on first use, so gateways without Bedrock do not pay for it at start-up.
 */
import type { SignatureV4 } from '@smithy/signature-v4';
import type { UpstreamHttpRequest } from '../http-transport.js';
import { NodeSha256 } from './node-sha256.js';
import type { AwsCredentials } from './aws-credentials.js';

export interface SigV4SignerOptions {
  baseUrl: string;
  region: string;
  service: string;
  credentials: () => Promise<AwsCredentials>;
  now: () => number;
}

export type SigV4Signer = (request: UpstreamHttpRequest) => Promise<UpstreamHttpRequest>;

export function createSigV4Signer(options: SigV4SignerOptions): SigV4Signer {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  let signer: Promise<SignatureV4> | undefined;

  return async (request) => {
    const [path = '', search = ''] = request.path.split('?', 2);
    const query: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(search)) query[name] = value;
    const headers = { ...request.headers, host: base.host };
    signer ??= import('@smithy/signature-v4').then(
      ({ SignatureV4: Signer }) => new Signer({ service: options.service, region: options.region, credentials: options.credentials, sha256: NodeSha256 }),
    );
    const signed = await (await signer).sign(
      {
        method: request.method,
        protocol: base.protocol,
        hostname: base.hostname,
        ...(base.port !== '' ? { port: Number(base.port) } : {}),
        path: `${basePath}${path}`,
        query,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      },
      { signingDate: new Date(options.now()) },
    );
    return { ...request, headers: signed.headers };
  };
}
