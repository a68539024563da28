/**
 * Deployment config → a function that fetches a Google OAuth access token for Vertex AI, via
 * google-auth-library: Application Default Credentials (workload identity on GKE, the metadata
 * server on GCE / Cloud Run, GOOGLE_APPLICATION_CREDENTIALS) or one credentials file — a
 * service-account key or an external-account (workload identity federation) configuration.
 * The library signs the JWT assertion or exchanges the subject token; we only read the result.
 * It is loaded on first use, so configs without Vertex never pay for it.
 */
import type { GoogleAuth } from 'google-auth-library';
import type { Expiring } from '../cloud-credentials/cached-credential.js';
import { VERTEX_SCOPE, type GoogleCredentialsConfig } from './vertex-options-schema.js';

export type AccessTokenFetcher = () => Promise<Expiring<string>>;

export function googleAccessToken(config: GoogleCredentialsConfig): AccessTokenFetcher {
  let auth: Promise<GoogleAuth> | undefined;
  return async () => {
    auth ??= import('google-auth-library').then(
      ({ GoogleAuth }) => new GoogleAuth({ scopes: [VERTEX_SCOPE], ...(config.source === 'key-file' ? { keyFilename: config.path } : {}) }),
    );
    const client = await (await auth).getClient();
    const { token } = await client.getAccessToken();
    if (typeof token !== 'string' || token === '') throw Object.assign(new Error('no access token'), { name: 'NoAccessToken' });
    const expiry = client.credentials.expiry_date;
    return { value: token, ...(typeof expiry === 'number' ? { expiresAt: expiry } : {}) };
  };
}

export const googleSourceName = (config: GoogleCredentialsConfig) =>
  config.source === 'default' ? 'Google Application Default Credentials' : 'the Google credentials file';
