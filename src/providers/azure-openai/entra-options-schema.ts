import { z } from 'zod';
import { secretReferenceSchema as secretReference } from '../../model/secret-reference.js';

/**
 * Microsoft Entra ID for Azure OpenAI (`auth: entra`), through @azure/identity. `client-secret`
 * is an app registration's secret; `workload-identity` is AKS workload identity (a federated
 * token file, AZURE_* variables by default); `managed-identity` is the VM / App Service /
 * Container Apps identity (system-assigned, or user-assigned by client_id); `default` is
 * DefaultAzureCredential's chain. Many tenants disable key auth, leaving only these.
 */
export const entraOptionsSchema = z.discriminatedUnion('credential', [
  z
    .object({
      credential: z.literal('client-secret'),
      tenant_id: z.string().min(1),
      client_id: z.string().min(1),
      client_secret: secretReference,
      authority_host: z.url().optional(),
    })
    .strict(),
  z
    .object({
      credential: z.literal('workload-identity'),
      tenant_id: z.string().min(1).optional(),
      client_id: z.string().min(1).optional(),
      token_file: z.string().min(1).optional(),
      authority_host: z.url().optional(),
    })
    .strict(),
  z.object({ credential: z.literal('managed-identity'), client_id: z.string().min(1).optional() }).strict(),
  z.object({ credential: z.literal('default') }).strict(),
]);
export type EntraOptions = z.infer<typeof entraOptionsSchema>;

/** The token audience of Azure OpenAI (Cognitive Services). */
export const AZURE_OPENAI_SCOPE = 'https://cognitiveservices.azure.com/.default';
