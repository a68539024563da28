import { z } from 'zod';
import { identifierSchema } from '../model/identifier.js';
import { REQUEST_FEATURES } from '../model/chat-request.js';
import { aliasRoutingShape, targetRoutingShape } from './routing-config-schema.js';

/**
 * The `models:` section: each alias the clients call and the deployment targets behind it, with
 * the routing fields (strategy, priorities, variants) routing reads. Owned by routing; the root
 * schema (assembly/config-schema.ts) lists it.
 */

const targetSchema = z
  .object({
    deployment: identifierSchema,
    model: z.string().min(1),
    weight: z.number().nonnegative().default(1),
    ...targetRoutingShape,
  })
  .strict();

export const modelAliasSchema = z
  .object({
    alias: z.string().min(1),
    type: z.enum(['chat', 'embedding']).default('chat'),
    description: z.string().optional(),
    targets: z.array(targetSchema).min(1),
    /**
     * Request features a target of this alias may drop when it cannot honour them (e.g. `seed`
     * and `n` for an Anthropic target). Unlisted ones are refused with `unsupported_parameter`.
     */
    drop_unsupported: z.array(z.enum(REQUEST_FEATURES)).default([]),
    ...aliasRoutingShape,
  })
  .strict();
export type ModelAliasConfig = z.infer<typeof modelAliasSchema>;
