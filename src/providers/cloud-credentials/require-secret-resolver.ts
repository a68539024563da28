import type { AdapterFactoryOptions } from '../provider-adapter.js';

/** The registry always passes a resolver; without one, a secret reference must never be sent as a value. */
export function requireSecretResolver(options: AdapterFactoryOptions): (reference: string) => string {
  return (
    options.resolveSecret ??
    (() => {
      throw Object.assign(new Error('no secret resolver'), { name: 'SecretResolverMissing' });
    })
  );
}
