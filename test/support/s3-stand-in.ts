import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * A local stand-in for an S3 bucket with Object Lock, speaking enough of the protocol for the
 * audit anchor sink: PutObject, ListObjectsV2, GetObject, DeleteObject (path-style). Like S3 it
 * checks what a client gets wrong: every request's SigV4 signature is recomputed with the same
 * algorithm (@smithy/signature-v4) and compared, the payload hash must match the body, an
 * Object Lock write must carry a checksum and a retention date, and a locked object can be
 * neither overwritten nor deleted before its retention ends.
 */

type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Source): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** The `ChecksumConstructor` the signer wants, on node:crypto. */
class Sha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  private readonly secret: Source | undefined;
  constructor(secret?: Source) {
    this.secret = secret;
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
}

interface StoredObject {
  body: Buffer;
  retainUntil?: Date;
  mode?: string;
}

export interface S3StandIn {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Objects by `bucket/key`. */
  objects: Map<string, StoredObject>;
  /** Every request the stand-in refused, with the S3 error code it answered. */
  refusals: Array<{ method: string; path: string; code: string }>;
  close(): Promise<void>;
}

function xml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startS3StandIn(options: { buckets: string[]; region?: string; now?: () => Date }): Promise<S3StandIn> {
  const region = options.region ?? 'us-east-1';
  const now = options.now ?? (() => new Date());
  const credentials = { accessKeyId: 'AKIASTANDIN000000001', secretAccessKey: 'stand-in-secret-key-0123456789abcdefghij' };
  const signer = new SignatureV4({ service: 's3', region, credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: true });
  const objects = new Map<string, StoredObject>();
  const refusals: S3StandIn['refusals'] = [];

  const refuse = (request: IncomingMessage, response: ServerResponse, status: number, code: string, message: string) => {
    refusals.push({ method: request.method ?? '', path: request.url ?? '', code });
    xml(response, status, `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`);
  };

  async function signatureProblem(request: IncomingMessage, url: URL, body: Buffer): Promise<string | undefined> {
    const authorization = request.headers.authorization ?? '';
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!match) return 'missing or malformed SigV4 Authorization header';
    const [, accessKeyId, , signedRegion, signedHeaderList, signature] = match;
    if (accessKeyId !== credentials.accessKeyId) return 'unknown access key';
    if (signedRegion !== region) return `signed for region ${signedRegion}, bucket is in ${region}`;
    const amzDate = String(request.headers['x-amz-date'] ?? '');
    const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!date) return 'missing x-amz-date';
    const contentHash = String(request.headers['x-amz-content-sha256'] ?? '');
    if (contentHash === '') return 'missing x-amz-content-sha256';
    if (contentHash !== 'UNSIGNED-PAYLOAD' && contentHash !== createHash('sha256').update(body).digest('hex')) return 'x-amz-content-sha256 does not match the body';
    const headers: Record<string, string> = {};
    for (const name of signedHeaderList!.split(';')) {
      const value = request.headers[name];
      if (value === undefined) return `signed header ${name} is missing`;
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of url.searchParams) {
      const existing = query[key];
      query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    const [hostname, port] = (headers.host ?? '').split(':');
    const signed = await signer.sign(
      { method: request.method ?? 'GET', protocol: 'http:', hostname: hostname ?? '', ...(port ? { port: Number(port) } : {}), path: url.pathname, query, headers, body } as never,
      { signingDate: new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), Number(date[4]), Number(date[5]), Number(date[6]))) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String((signed as unknown as { headers: Record<string, string> }).headers.authorization))?.[1];
    return expected === signature ? undefined : 'SignatureDoesNotMatch';
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const problem = await signatureProblem(request, url, body);
    if (problem) return refuse(request, response, 403, problem === 'SignatureDoesNotMatch' ? problem : 'AccessDenied', problem);
    const [, bucket, ...keyParts] = url.pathname.split('/');
    const key = decodeURIComponent(keyParts.join('/'));
    if (!bucket || !options.buckets.includes(bucket)) return refuse(request, response, 404, 'NoSuchBucket', `no bucket ${bucket}`);
    const id = `${bucket}/${key}`;
    const existing = objects.get(id);
    const locked = existing?.retainUntil !== undefined && existing.retainUntil > now();

    if (request.method === 'PUT' && key !== '') {
      const mode = request.headers['x-amz-object-lock-mode'];
      const until = request.headers['x-amz-object-lock-retain-until-date'];
      if ((mode === undefined) !== (until === undefined)) return refuse(request, response, 400, 'InvalidRequest', 'object lock mode and retain-until date go together');
      if (mode !== undefined && mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') return refuse(request, response, 400, 'InvalidArgument', `unknown lock mode ${String(mode)}`);
      const checksummed = request.headers['content-md5'] !== undefined || Object.keys(request.headers).some((name) => name.startsWith('x-amz-checksum-'));
      if (mode !== undefined && !checksummed) return refuse(request, response, 400, 'InvalidRequest', 'Content-MD5 or x-amz-checksum-* is required for a PUT with Object Lock parameters');
      if (locked) return refuse(request, response, 403, 'AccessDenied', 'the object is locked');
      objects.set(id, { body, ...(mode ? { mode: String(mode), retainUntil: new Date(String(until)) } : {}) });
      response.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` });
      response.end();
      return;
    }
    if (request.method === 'DELETE' && key !== '') {
      if (locked) return refuse(request, response, 403, 'AccessDenied', 'the object is locked until its retention date');
      objects.delete(id);
      response.writeHead(204);
      response.end();
      return;
    }
    if (request.method === 'GET' && key === '' && url.searchParams.get('list-type') === '2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const keys = [...objects.keys()].filter((name) => name.startsWith(`${bucket}/${prefix}`)).map((name) => name.slice(bucket.length + 1)).sort();
      const contents = keys.map((name) => `<Contents><Key>${escapeXml(name)}</Key><Size>${objects.get(`${bucket}/${name}`)!.body.length}</Size></Contents>`).join('');
      return xml(response, 200, `<ListBucketResult><Name>${bucket}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
    }
    if (request.method === 'GET' && key !== '') {
      if (!existing) return refuse(request, response, 404, 'NoSuchKey', `no object ${key}`);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': existing.body.length });
      response.end(existing.body);
      return;
    }
    refuse(request, response, 501, 'NotImplemented', `${request.method} ${url.pathname} is not part of the stand-in`);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    region,
    credentials,
    objects,
    refusals,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
