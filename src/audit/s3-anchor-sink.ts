import type { S3Client } from '@aws-sdk/client-s3';
import type { AnchorSink } from './anchor-sinks.js';
import { parseAnchorStatements, type AnchorStatement } from './chain-anchor.js';

export interface S3AnchorOptions {
  bucket: string;
  /** Key prefix, e.g. `switchyard/prod/`. */
  prefix: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, Ceph, a sovereign cloud); AWS when absent. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Absent: the AWS default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Retention written on every object; the bucket must have Object Lock enabled. */
  objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; retainDays: number };
  now?: () => Date;
}

/**
 * The SDK is loaded on first use: it is large, and every CLI command and gateway start would
 * otherwise pay for it whether or not an S3 anchor is configured.
 */
const sdk = () => import('@aws-sdk/client-s3');

export async function s3ClientFor(options: S3AnchorOptions): Promise<S3Client> {
  const { S3Client } = await sdk();
  return new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

/** Zero-padded seq first, so the newest head is the last key in S3's lexical listing order. */
export function anchorObjectKey(prefix: string, statement: AnchorStatement): string {
  return `${prefix}${String(statement.seq).padStart(16, '0')}-${statement.time.replace(/[^0-9TZ]/g, '')}.json`;
}

/**
 * One object per statement, written with an Object Lock retention (COMPLIANCE by default):
 * nobody, the bucket owner included, can delete or overwrite it before the retention ends.
 */
export function createS3AnchorSink(options: S3AnchorOptions): AnchorSink & { close(): void } {
  let client: S3Client | undefined;
  const now = options.now ?? (() => new Date());
  return {
    description: `s3 ${options.bucket}/${options.prefix}`,
    async publish(statement) {
      const lock = options.objectLock;
      client ??= await s3ClientFor(options);
      const { PutObjectCommand } = await sdk();
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: anchorObjectKey(options.prefix, statement),
          Body: JSON.stringify(statement),
          ContentType: 'application/json',
          // Object Lock writes must carry an integrity checksum.
          ChecksumAlgorithm: 'SHA256',
          ...(lock ? { ObjectLockMode: lock.mode, ObjectLockRetainUntilDate: new Date(now().getTime() + lock.retainDays * 86_400_000) } : {}),
        }),
      );
    },
    close: () => client?.destroy(),
  };
}

/** The newest statement under the prefix (empty when there is none). */
export async function readS3Anchors(options: S3AnchorOptions): Promise<AnchorStatement[]> {
  const client = await s3ClientFor(options);
  const { GetObjectCommand, ListObjectsV2Command } = await sdk();
  try {
    let newest: string | undefined;
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: options.bucket, Prefix: options.prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) if (object.Key && (newest === undefined || object.Key > newest)) newest = object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    if (newest === undefined) return [];
    const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: newest }));
    return parseAnchorStatements((await object.Body?.transformToString('utf8')) ?? '', `s3://${options.bucket}/${newest}`);
  } finally {
    client.destroy();
  }
}
