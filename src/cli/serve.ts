import type { Command } from 'commander';
import { configPathFrom } from '../assembly/load-config.js';
import { startGateway } from '../main.js';

/** Why the gateway did not start, with what to do about it. */
function describeStartFailure(error: unknown, options: { port?: number; host?: string }): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const { address, port } = error as { address?: string; port?: number };
  if (code === 'EADDRINUSE') {
    return `port ${port ?? options.port ?? '?'} on ${address ?? options.host ?? 'this host'} is already in use (another switchyard or service?); stop it, or pick a free port with --port <n> (0 = any free port) or server.port in the config`;
  }
  if (code === 'EACCES' && port !== undefined) return `no permission to listen on port ${port}; use a port above 1023 with --port <n> or server.port`;
  if (code === 'EADDRNOTAVAIL') return `address ${address ?? options.host} is not an address of this machine; use --host 127.0.0.1 (or 0.0.0.0 for all) or fix server.host`;
  return error instanceof Error ? error.message.split('\n').join('\n  ') : String(error);
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the gateway')
    .option('-c, --config <file>', 'config file (default: $SWITCHYARD_CONFIG or ./switchyard.yaml; to try it: examples/quickstart.yaml)')
    .option('-p, --port <port>', 'listen port (overrides server.port)', (value) => Number.parseInt(value, 10))
    .option('--host <host>', 'listen address (overrides server.host)')
    .action(async (options: { config?: string; port?: number; host?: string }) => {
      let gateway: Awaited<ReturnType<typeof startGateway>>;
      try {
        gateway = await startGateway({
          configPath: configPathFrom(options.config),
          ...(options.port !== undefined ? { port: options.port } : {}),
          ...(options.host !== undefined ? { host: options.host } : {}),
        });
      } catch (error) {
        // Exit now: an open database pool or timer must not keep a failed start alive.
        process.stderr.write(`switchyard serve: ${describeStartFailure(error, options)}\n`);
        process.exit(1);
      }
      process.stderr.write(`switchyard listening on ${gateway.url}\n`);
      if (gateway.adminHint) process.stderr.write(`${gateway.adminHint}\n`);
      // Drain (docs/cluster.md): a second signal skips the rest of the wait.
      let stopping = false;
      const stop = (signal: 'SIGTERM' | 'SIGINT') => {
        if (stopping) return gateway.hurry();
        stopping = true;
        // Ctrl-C in a terminal: no balancer needs a grace period.
        gateway.drain(signal === 'SIGINT' ? { graceMs: 0 } : {}).then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`switchyard serve: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGHUP', () => {
        gateway.reload().catch((error: unknown) => {
          process.stderr.write(`config reload refused, still running on the previous config: ${(error as Error).message}\n`);
        });
      });
    });
}
