import { describe, expect, it } from 'vitest';
import { awsCredentialsSchema } from './bedrock-options-schema.js';
import { awsCredentialProvider, type AwsProviderFactories } from './aws-credentials.js';

/** Records which SDK provider a config maps to, and with what, without reaching AWS. */
function recordingFactories(calls: Array<[string, unknown]>): AwsProviderFactories {
  const provider = (name: string) => (init?: unknown) => {
    calls.push([name, init]);
    return async () => ({ accessKeyId: `AKIA-${name}`, secretAccessKey: 'x' });
  };
  return {
    fromNodeProviderChain: provider('fromNodeProviderChain'),
    fromIni: provider('fromIni'),
    fromTokenFile: provider('fromTokenFile'),
    fromInstanceMetadata: provider('fromInstanceMetadata'),
    fromContainerMetadata: provider('fromContainerMetadata'),
  } as unknown as AwsProviderFactories;
}

describe('awsCredentialProvider', () => {
  it.each([
    [{ source: 'default' }, 'fromNodeProviderChain', undefined],
    [{ source: 'profile', profile: 'bedrock-prod' }, 'fromIni', { profile: 'bedrock-prod' }],
    [
      { source: 'web-identity', role_arn: 'arn:aws:iam::123456789012:role/switchyard', web_identity_token_file: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' },
      'fromTokenFile',
      { roleArn: 'arn:aws:iam::123456789012:role/switchyard', webIdentityTokenFile: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' },
    ],
    [{ source: 'web-identity' }, 'fromTokenFile', {}],
    [{ source: 'instance-metadata' }, 'fromInstanceMetadata', undefined],
    [{ source: 'container-metadata' }, 'fromContainerMetadata', undefined],
  ])('%o uses %s', async (config, factory, init) => {
    const calls: Array<[string, unknown]> = [];
    const provider = awsCredentialProvider(awsCredentialsSchema.parse(config), () => '', async () => recordingFactories(calls));
    expect(calls).toEqual([]);
    expect(await provider()).toMatchObject({ accessKeyId: `AKIA-${factory}` });
    await provider();
    // The SDK provider is built once and asked again (its own caching applies).
    expect(calls).toEqual([[factory, init]]);
  });

  it('static keys resolve their secret references on every fetch, not once at construction', async () => {
    const values: Record<string, string> = { '${env:ID}': 'AKIA1', '${env:SECRET}': 'first', '${env:TOKEN}': 'session' };
    const provider = awsCredentialProvider(
      awsCredentialsSchema.parse({ source: 'static', access_key_id: '${env:ID}', secret_access_key: '${env:SECRET}', session_token: '${env:TOKEN}' }),
      (reference) => values[reference] ?? '',
      () => Promise.reject(new Error('static keys need no SDK provider')),
    );
    expect(await provider()).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 'first', sessionToken: 'session' });
    values['${env:SECRET}'] = 'rotated';
    expect(await provider()).toMatchObject({ secretAccessKey: 'rotated' });
  });
});
