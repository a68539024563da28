import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { parseAnchorStatements, type AnchorStatement } from './chain-anchor.js';
import { readS3Anchors } from './s3-anchor-sink.js';

export interface AnchorSourceOptions {
  /** S3-compatible endpoint for `s3://` sources (default: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, AWS). */
  endpoint?: string;
  region?: string;
  /** `Authorization` header for an `https://` source. */
  authorization?: string;
}

/**
 * Reads anchor statements for `audit verify --anchor <source>`:
 * `s3://bucket/prefix` (the newest object), `http(s)://…` (GET: JSON lines, an array or one
 * statement), or a file path (`file:` optional) as the file sink writes it. A source that cannot
 * be read throws: verifying "against an anchor" that was never read would be a false assurance.
 */
export async function readAnchorSource(source: string, options: AnchorSourceOptions = {}, environment: NodeJS.ProcessEnv = process.env): Promise<AnchorStatement[]> {
  if (source.startsWith('s3://')) {
    const [bucket, ...rest] = source.slice('s3://'.length).split('/');
    if (!bucket) throw new Error(`'${source}' names no bucket (use s3://bucket/prefix/)`);
    const endpoint = options.endpoint ?? environment.AWS_ENDPOINT_URL_S3 ?? environment.AWS_ENDPOINT_URL;
    return readS3Anchors({
      bucket,
      prefix: rest.join('/'),
      region: options.region ?? environment.AWS_REGION ?? environment.AWS_DEFAULT_REGION ?? 'us-east-1',
      ...(endpoint ? { endpoint } : {}),
    });
  }
  if (/^https?:\/\//.test(source)) {
    const response = await request(source, { method: 'GET', headers: options.authorization ? { authorization: options.authorization } : {} });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`anchor source ${source} answered HTTP ${response.statusCode}`);
    return parseAnchorStatements(text, source);
  }
  const path = source.startsWith('file:') ? source.slice('file:'.length) : source;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the anchor file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseAnchorStatements(text, path);
}
