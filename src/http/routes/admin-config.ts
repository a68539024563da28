import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../../config/config-error.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { requireAdminScope } from '../admin-auth.js';
import type { RuntimeHolder } from '../runtime-holder.js';

/**
 * `POST /admin/config/reload`: validate the config file, then swap atomically; requests in flight
 * finish on the old config. An invalid file is refused with every problem and the gateway keeps
 * running on the config it has. Needs `config:read` plus the reload being enabled (a server).
 */
export function registerAdminConfigRoutes(app: FastifyInstance, holder: RuntimeHolder, reload: (() => Promise<void>) | undefined): void {
  app.post('/admin/config/reload', async (request) => {
    await requireAdminScope(holder.current, request, 'config:read');
    if (!reload) throw new GatewayError('not_found', 'This gateway was started without a config file to reload.');
    try {
      await reload();
    } catch (error) {
      if (error instanceof ConfigError) {
        throw new GatewayError('invalid_request', `The new config was refused; the previous one stays in force. ${error.message}`);
      }
      throw error;
    }
    return { status: 'reloaded', config: holder.current.loaded.source };
  });
}
