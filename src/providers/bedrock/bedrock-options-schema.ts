import { z } from 'zod';
import { secretReferenceSchema as secretReference } from '../../model/secret-reference.js';

/**
 * Where the Bedrock adapter gets AWS credentials. `default` is the AWS SDK's own chain
 * (environment, shared config/profile, web identity / IRSA, ECS container and EC2 instance
 * metadata), which is what most deployments on AWS want; the others pin one source.
 */
export const awsCredentialsSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('default') }).strict(),
  z
    .object({
      source: z.literal('static'),
      access_key_id: secretReference,
      secret_access_key: secretReference,
      session_token: secretReference.optional(),
    })
    .strict(),
  z.object({ source: z.literal('profile'), profile: z.string().min(1) }).strict(),
  /** IRSA / EKS Pod Identity style: a projected OIDC token exchanged at STS. Unset fields come from AWS_ROLE_ARN etc. */
  z
    .object({
      source: z.literal('web-identity'),
      role_arn: z.string().startsWith('arn:').optional(),
      web_identity_token_file: z.string().min(1).optional(),
      role_session_name: z.string().min(1).optional(),
    })
    .strict(),
  z.object({ source: z.literal('instance-metadata') }).strict(),
  z.object({ source: z.literal('container-metadata') }).strict(),
]);
export type AwsCredentialsConfig = z.infer<typeof awsCredentialsSchema>;

export const bedrockOptionsSchema = z
  .object({
    /** The AWS region requests are signed for (and the default endpoint's region). */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as eu-central-1'),
    credentials: awsCredentialsSchema.default({ source: 'default' }),
  })
  .strict();
export type BedrockOptions = z.infer<typeof bedrockOptionsSchema>;

/** The public Bedrock runtime endpoint of a region; a VPC endpoint is set as the deployment's base_url. */
export const bedrockDefaultBaseUrl = (options: BedrockOptions) => `https://bedrock-runtime.${options.region}.amazonaws.com`;
