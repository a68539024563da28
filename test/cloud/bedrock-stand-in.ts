/**
 * A loopback stand-in for the Bedrock runtime that authenticates like AWS does: it recomputes
 * every request's SigV4 signature with the same library (@smithy/signature-v4) from what it
 * received — method, path, query, signed headers and the body's SHA-256 — with the secret it
 * knows for the access key, and refuses (403, AWS's messages) an unknown key, an unknown or
 * expired session token, a mismatching signature (wrong secret, tampered body) and a signing
 * date more than five minutes from its clock. Accepted requests get recorded Converse replies.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/providers/bedrock/node-sha256.js';
import { encodeEventStreamFixture, EVENT_STREAM_CONTENT_TYPE } from '../support/event-stream-fixture.js';

export interface StandInKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials carry a session token, valid until `expiresAt` (epoch ms). */
  sessionToken?: string;
  expiresAt?: number;
}

export interface BedrockStandInOptions {
  region: string;
  keys: StandInKey[];
  /** Replies by action (`converse`, `converse-stream`, `invoke`): JSON text, or event-stream fixture text for the stream. */
  replies: { converse: string; 'converse-stream': string; invoke?: string };
  now?: () => number;
}

export interface BedrockStandIn {
  url: string;
  /** Every refusal: the AWS error type and message it answered. */
  refusals: Array<{ type: string; message: string }>;
  accepted: Array<{ path: string; body: string; accessKeyId: string }>;
  close(): Promise<void>;
}

const MAX_SKEW_MS = 5 * 60_000;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/bedrock\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export async function startBedrockStandIn(options: BedrockStandInOptions): Promise<BedrockStandIn> {
  const now = options.now ?? Date.now;
  const refusals: BedrockStandIn['refusals'] = [];
  const accepted: BedrockStandIn['accepted'] = [];

  const refuse = (response: ServerResponse, status: number, type: string, message: string) => {
    refusals.push({ type, message });
    response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.coral.service/` });
    response.end(JSON.stringify({ message }));
  };

  async function authenticate(request: IncomingMessage, url: URL, body: Buffer): Promise<{ key: StandInKey } | { status: number; type: string; message: string }> {
    const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ''));
    if (!match) return { status: 403, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
    const [, accessKeyId, , region, signedHeaderList = '', signature] = match;
    const key = options.keys.find((candidate) => candidate.accessKeyId === accessKeyId);
    if (key === undefined) return { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
    if (region !== options.region) return { status: 403, type: 'InvalidSignatureException', message: `Credential should be scoped to a valid region.` };
    const token = request.headers['x-amz-security-token'];
    if (key.sessionToken !== undefined) {
      if (token !== key.sessionToken) return { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
      if (key.expiresAt !== undefined && now() >= key.expiresAt) return { status: 403, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' };
    }
    const amzDate = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(request.headers['x-amz-date'] ?? ''));
    if (!amzDate) return { status: 403, type: 'IncompleteSignatureException', message: 'Authorization header requires existence of either a X-Amz-Date or a Date header.' };
    const signedAt = Date.UTC(Number(amzDate[1]), Number(amzDate[2]) - 1, Number(amzDate[3]), Number(amzDate[4]), Number(amzDate[5]), Number(amzDate[6]));
    if (Math.abs(now() - signedAt) > MAX_SKEW_MS) {
      return { status: 403, type: 'InvalidSignatureException', message: `Signature expired: ${amzDate[0]} is now earlier than the allowed five minutes.` };
    }
    // The signature covers the payload through this header; like AWS, check it is the body's hash.
    const contentHash = request.headers['x-amz-content-sha256'];
    if (contentHash !== undefined && contentHash !== createHash('sha256').update(body).digest('hex')) {
      return { status: 403, type: 'InvalidSignatureException', message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
    }
    const headers: Record<string, string> = {};
    for (const name of signedHeaderList.split(';')) {
      const value = request.headers[name];
      if (value === undefined) return { status: 403, type: 'InvalidSignatureException', message: `Signed header ${name} is missing.` };
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const [hostname = '', port] = (headers.host ?? '').split(':');
    const signer = new SignatureV4({
      service: 'bedrock',
      region: options.region,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, ...(key.sessionToken !== undefined ? { sessionToken: key.sessionToken } : {}) },
      sha256: NodeSha256,
    });
    const recomputed = await signer.sign(
      { method: request.method ?? 'GET', protocol: 'http:', hostname, ...(port ? { port: Number(port) } : {}), path: url.pathname, query, headers, body: body.toString('utf8') },
      { signingDate: new Date(signedAt) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(recomputed.headers.authorization))?.[1];
    if (expected !== signature) {
      return {
        status: 403,
        type: 'InvalidSignatureException',
        message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      };
    }
    return { key };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const outcome = await authenticate(request, url, body);
    if (!('key' in outcome)) return refuse(response, outcome.status, outcome.type, outcome.message);
    const action = /^\/model\/[^/]+\/([a-z-]+)$/.exec(url.pathname)?.[1];
    accepted.push({ path: url.pathname, body: body.toString('utf8'), accessKeyId: outcome.key.accessKeyId });
    const requestId = `standin-${accepted.length}`;
    if (action === 'converse-stream') {
      response.writeHead(200, { 'content-type': EVENT_STREAM_CONTENT_TYPE, 'x-amzn-requestid': requestId });
      response.end(encodeEventStreamFixture(options.replies['converse-stream']));
      return;
    }
    const reply = action === 'converse' ? options.replies.converse : action === 'invoke' ? options.replies.invoke : undefined;
    if (reply === undefined) return refuse(response, 404, 'UnknownOperationException', 'Unknown operation');
    response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId });
    response.end(reply);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => refuse(response, 500, 'InternalServerException', 'stand-in failure'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refusals,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
