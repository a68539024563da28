import { z } from 'zod';
import { DEFAULT_STORAGE_URL, parseStorageUrl } from './storage-url.js';

/** `storage:` in the config file. */
export const storageConfigSchema = z
  .object({
    url: z
      .string()
      .default(DEFAULT_STORAGE_URL)
      .superRefine((url, context) => {
        try {
          parseStorageUrl(url);
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
    /** Apply pending migrations at start; off when a deploy job runs `switchyard migrate` first. */
    migrate_on_start: z.boolean().default(true),
    /** PostgreSQL pool size per gateway process. */
    max_connections: z.number().int().positive().max(200).default(10),
  })
  .strict();
export type StorageConfig = z.infer<typeof storageConfigSchema>;
