import { z } from 'zod';

/**
 * Where the Vertex AI adapter gets Google credentials, through google-auth-library:
 * `default` is Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, the GKE / GCE
 * metadata server — workload identity — or gcloud's user credentials); `key-file` reads one
 * credentials JSON: a service-account key or an external-account (workload identity
 * federation) configuration, which is how a workload outside Google Cloud gets in keylessly.
 */
export const googleCredentialsSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('default') }).strict(),
  z.object({ source: z.literal('key-file'), path: z.string().min(1) }).strict(),
]);
export type GoogleCredentialsConfig = z.infer<typeof googleCredentialsSchema>;

export const vertexOptionsSchema = z
  .object({
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a Google Cloud project id'),
    /** A region such as europe-west4, or `global`. */
    location: z.string().regex(/^(global|[a-z]+-[a-z]+\d+)$/, 'a Vertex AI location such as europe-west4 or global'),
    credentials: googleCredentialsSchema.default({ source: 'default' }),
  })
  .strict();
export type VertexOptions = z.infer<typeof vertexOptionsSchema>;

export const vertexDefaultBaseUrl = (options: VertexOptions) =>
  options.location === 'global' ? 'https://aiplatform.googleapis.com/v1' : `https://${options.location}-aiplatform.googleapis.com/v1`;

/** The OAuth scope Vertex AI accepts. */
export const VERTEX_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
