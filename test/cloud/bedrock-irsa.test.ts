import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../src/assembly/config-schema.js';
import { createAdapter } from '../../src/providers/registry.js';
import { CONFORMANCE_REQUESTS } from '../support/providers/conformance-requests.js';
import { startBedrockStandIn, type BedrockStandIn } from './bedrock-stand-in.js';
import { startTokenStandIn, WORKLOAD_ISSUER, type TokenStandIn } from './token-stand-in.js';

/**
 * IRSA end to end: `credentials: { source: web-identity }` makes the AWS SDK read the pod's
 * projected service-account token and exchange it at STS (AssumeRoleWithWebIdentity) — here a
 * loopback STS (AWS_ENDPOINT_URL_STS) that verifies the token against the cluster issuer's JWKS
 * (the token stand-in) for audience sts.amazonaws.com, and answers temporary keys the SigV4
 * stand-in accepts. A token from another key gets no keys: upstream_auth_failed.
 */
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../src/providers/bedrock/__fixtures__/${name}`, import.meta.url)), 'utf8');
const ROLE_ARN = 'arn:aws:iam::123456789012:role/switchyard-bedrock';
const ASSUMED = { accessKeyId: 'ASIAIRSASTANDIN00001', secretAccessKey: 'irsa/assumed/secret/0123456789abcdefghijk', sessionToken: 'IQoJb3JpZ2luX2VjEIrsaStandInSession' };

let sts: Server;
let tokens: TokenStandIn;
let bedrock: BedrockStandIn;
const stsCalls: Array<{ role: string; outcome: string }> = [];
const saved = { endpoint: process.env.AWS_ENDPOINT_URL_STS, region: process.env.AWS_REGION };
const directory = mkdtempSync(join(tmpdir(), 'irsa-'));

beforeAll(async () => {
  tokens = await startTokenStandIn({ googleAudience: 'unused', entra: { tenant: 't', clientId: 'c', clientSecret: 's' }, replies: { vertex: '{}', azure: '{}' } });
  const clusterKeys = createRemoteJWKSet(new URL(`${tokens.httpUrl}/jwks`));
  sts = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const role = form.get('RoleArn') ?? '';
      const xml = (status: number, body: string) => {
        response.writeHead(status, { 'content-type': 'text/xml' });
        response.end(body);
      };
      if (form.get('Action') !== 'AssumeRoleWithWebIdentity' || role !== ROLE_ARN) {
        stsCalls.push({ role, outcome: 'bad request' });
        return xml(400, '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>unexpected request</Message></Error></ErrorResponse>');
      }
      jwtVerify(form.get('WebIdentityToken') ?? '', clusterKeys, { issuer: WORKLOAD_ISSUER, audience: 'sts.amazonaws.com' }).then(
        ({ payload }) => {
          stsCalls.push({ role, outcome: 'assumed' });
          xml(
            200,
            `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>` +
              `<Credentials><AccessKeyId>${ASSUMED.accessKeyId}</AccessKeyId><SecretAccessKey>${ASSUMED.secretAccessKey}</SecretAccessKey>` +
              `<SessionToken>${ASSUMED.sessionToken}</SessionToken><Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration></Credentials>` +
              `<SubjectFromWebIdentityToken>${String(payload.sub)}</SubjectFromWebIdentityToken><AssumedRoleUser><Arn>${ROLE_ARN}/switchyard</Arn><AssumedRoleId>AROASTANDIN:switchyard</AssumedRoleId></AssumedRoleUser>` +
              `</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>standin-sts-1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
          );
        },
        () => {
          stsCalls.push({ role, outcome: 'invalid token' });
          xml(400, '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Couldn\'t retrieve verification key from your identity provider</Message></Error></ErrorResponse>');
        },
      );
    });
  });
  await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`;
  process.env.AWS_REGION = 'us-west-2';
  bedrock = await startBedrockStandIn({
    region: 'us-west-2',
    keys: [{ ...ASSUMED, expiresAt: Date.now() + 3600_000 }],
    replies: { converse: fixture('chat.response.json'), 'converse-stream': '[]' },
  });
});

afterAll(async () => {
  for (const [name, value] of [['AWS_ENDPOINT_URL_STS', saved.endpoint], ['AWS_REGION', saved.region]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await Promise.all([new Promise<void>((resolve) => sts.close(() => resolve())), bedrock.close(), tokens.close()]);
});

async function callWith(tokenFile: string) {
  const deployment = deploymentSchema.parse({
    id: 'bedrock-irsa',
    tier: 'private-cloud',
    provider: 'bedrock',
    base_url: bedrock.url,
    bedrock: { region: 'us-west-2', credentials: { source: 'web-identity', role_arn: ROLE_ARN, web_identity_token_file: tokenFile, role_session_name: 'switchyard' } },
    models: { chat: 'anthropic.claude-3-5-haiku-20241022-v1:0' },
  });
  const adapter = createAdapter(deployment, () => '');
  try {
    return await adapter.chat({ ...CONFORMANCE_REQUESTS.chat, model: 'chat' }, { signal: new AbortController().signal });
  } finally {
    await adapter.close();
  }
}

describe('bedrock with IRSA (web identity → STS stand-in)', () => {
  it('exchanges the projected service-account token for role keys and signs with them', async () => {
    const tokenFile = join(directory, 'token');
    writeFileSync(tokenFile, await tokens.workloadToken({ audience: 'sts.amazonaws.com', subject: 'system:serviceaccount:ai:switchyard' }));
    const response = await callWith(tokenFile);
    expect(response.choices[0]?.message.content).toBe('Hello.');
    expect(stsCalls.at(-1)).toEqual({ role: ROLE_ARN, outcome: 'assumed' });
    expect(bedrock.accepted.at(-1)?.accessKeyId).toBe(ASSUMED.accessKeyId);
  });

  it('a token STS cannot verify yields upstream_auth_failed naming the source, without the token', async () => {
    const tokenFile = join(directory, 'forged');
    const forged = `${(await tokens.workloadToken({ audience: 'sts.amazonaws.com', subject: 'x' })).slice(0, -10)}AAAAAAAAAA`;
    writeFileSync(tokenFile, forged);
    const error = await callWith(tokenFile).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_auth_failed', message: expect.stringContaining("AWS credential source 'web-identity'") });
    expect((error as Error).message).not.toContain(forged.slice(0, 30));
    expect(stsCalls.at(-1)?.outcome).toBe('invalid token');
  });
});
