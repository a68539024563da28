import { z } from 'zod';
import { identifierSchema } from '../model/identifier.js';
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
    ...aliasRoutingShape,
  })
  .strict();
export type ModelAliasConfig = z.infer<typeof modelAliasSchema>;
