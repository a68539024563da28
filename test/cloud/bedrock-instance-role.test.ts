import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../src/assembly/config-schema.js';
import { createAdapter } from '../../src/providers/registry.js';
import { CONFORMANCE_REQUESTS } from '../support/providers/conformance-requests.js';
import { startBedrockStandIn, type BedrockStandIn } from './bedrock-stand-in.js';

/**
 * An EC2 instance role end to end: `credentials: { source: instance-metadata }` makes the AWS
 * SDK's IMDSv2 client (session token first, then the role's temporary keys) ask a loopback
 * instance-metadata stand-in (AWS_EC2_METADATA_SERVICE_ENDPOINT), and the Bedrock stand-in
 * accepts only requests signed with those temporary keys and their session token.
 */
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../src/providers/bedrock/__fixtures__/${name}`, import.meta.url)), 'utf8');
const ROLE = { accessKeyId: 'ASIAIMDSSTANDIN00001', secretAccessKey: 'imds/role/secret/0123456789abcdefghijklmn', sessionToken: 'IQoJb3JpZ2luX2VjEImdsStandInSession' };
const IMDS_TOKEN = 'AQAEAImdsSessionToken==';

let imds: Server;
let bedrock: BedrockStandIn;
const imdsRequests: string[] = [];
const previous = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;

beforeAll(async () => {
  imds = createServer((request, response) => {
    imdsRequests.push(`${request.method} ${request.url}`);
    if (request.method === 'PUT' && request.url === '/latest/api/token') {
      response.end(IMDS_TOKEN);
      return;
    }
    // IMDSv2: every read needs the session token.
    if (request.headers['x-aws-ec2-metadata-token'] !== IMDS_TOKEN) {
      response.writeHead(401).end();
      return;
    }
    if (request.url === '/latest/meta-data/iam/security-credentials/') {
      response.end('switchyard-bedrock-role');
      return;
    }
    if (request.url === '/latest/meta-data/iam/security-credentials/switchyard-bedrock-role') {
      response.setHeader('content-type', 'text/plain');
      response.end(
        JSON.stringify({
          Code: 'Success',
          LastUpdated: new Date().toISOString(),
          Type: 'AWS-HMAC',
          AccessKeyId: ROLE.accessKeyId,
          SecretAccessKey: ROLE.secretAccessKey,
          Token: ROLE.sessionToken,
          Expiration: new Date(Date.now() + 6 * 3600_000).toISOString(),
        }),
      );
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => imds.listen(0, '127.0.0.1', resolve));
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `http://127.0.0.1:${(imds.address() as AddressInfo).port}`;
  bedrock = await startBedrockStandIn({
    region: 'us-east-1',
    keys: [{ ...ROLE, expiresAt: Date.now() + 6 * 3600_000 }],
    replies: { converse: fixture('chat.response.json'), 'converse-stream': '[]' },
  });
});

afterAll(async () => {
  if (previous === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = previous;
  await Promise.all([new Promise<void>((resolve) => imds.close(() => resolve())), bedrock.close()]);
});

describe('bedrock with an EC2 instance role (IMDSv2 stand-in)', () => {
  it('fetches the role credentials with a session token and signs with them', async () => {
    const deployment = deploymentSchema.parse({
      id: 'bedrock-instance-role',
      tier: 'private-cloud',
      provider: 'bedrock',
      base_url: bedrock.url,
      bedrock: { region: 'us-east-1', credentials: { source: 'instance-metadata' } },
      models: { chat: 'amazon.nova-lite-v1:0' },
    });
    const adapter = createAdapter(deployment, () => '');
    const response = await adapter.chat({ ...CONFORMANCE_REQUESTS.chat, model: 'chat' }, { signal: new AbortController().signal });
    expect(response.choices[0]?.message.content).toBe('Hello.');
    expect(bedrock.accepted.at(-1)?.accessKeyId).toBe(ROLE.accessKeyId);
    expect(imdsRequests).toContain('PUT /latest/api/token');
    expect(imdsRequests).toContain('GET /latest/meta-data/iam/security-credentials/switchyard-bedrock-role');
    await adapter.close();
  });
});
