/**
 * Deployment config → an AWS credential provider from `@aws-sdk/credential-providers` (the
 * SDK's maintained implementations of every source: IMDSv2 with its session token, IRSA's STS
 * exchange, SSO/INI profiles). Static keys need no provider. The library is loaded on first use
 * (configs without Bedrock never pay for it), and injectable so tests check the mapping
 * without reaching AWS.
 */
import type * as providers from '@aws-sdk/credential-providers';
import type { AwsCredentialsConfig } from './bedrock-options-schema.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type AwsCredentialProvider = () => Promise<AwsCredentials>;

export type AwsProviderFactories = Pick<
  typeof providers,
  'fromNodeProviderChain' | 'fromIni' | 'fromTokenFile' | 'fromInstanceMetadata' | 'fromContainerMetadata'
>;

export function awsCredentialProvider(
  config: AwsCredentialsConfig,
  resolveSecret: (reference: string) => string,
  loadFactories: () => Promise<AwsProviderFactories> = () => import('@aws-sdk/credential-providers'),
): AwsCredentialProvider {
  if (config.source === 'static') {
    // Resolved when fetched: after the upstream refuses the keys, the next fetch reads them again (a reload brings rotated ones).
    return async () => ({
      accessKeyId: resolveSecret(config.access_key_id),
      secretAccessKey: resolveSecret(config.secret_access_key),
      ...(config.session_token !== undefined ? { sessionToken: resolveSecret(config.session_token) } : {}),
    });
  }
  let provider: Promise<AwsCredentialProvider> | undefined;
  return async () => {
    provider ??= loadFactories().then((factories) => fromFactories(config, factories));
    return (await provider)();
  };
}

function fromFactories(config: Exclude<AwsCredentialsConfig, { source: 'static' }>, factories: AwsProviderFactories): AwsCredentialProvider {
  switch (config.source) {
    case 'profile':
      return factories.fromIni({ profile: config.profile });
    case 'web-identity':
      return factories.fromTokenFile({
        ...(config.role_arn !== undefined ? { roleArn: config.role_arn } : {}),
        ...(config.web_identity_token_file !== undefined ? { webIdentityTokenFile: config.web_identity_token_file } : {}),
        ...(config.role_session_name !== undefined ? { roleSessionName: config.role_session_name } : {}),
      });
    case 'instance-metadata':
      return factories.fromInstanceMetadata();
    case 'container-metadata':
      return factories.fromContainerMetadata();
    case 'default':
      return factories.fromNodeProviderChain();
  }
}

/** Human name of a source for error messages. */
export const awsSourceName = (config: AwsCredentialsConfig) => `AWS credential source '${config.source}'`;
