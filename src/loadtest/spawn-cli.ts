import { spawn, type ChildProcess } from 'node:child_process';

export interface CliProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** How to run this same CLI again: the running entry point with the same Node flags (tsx in dev). */
export function currentCli(): { command: string; prefix: string[] } {
  return { command: process.execPath, prefix: [...process.execArgv, process.argv[1] ?? ''] };
}

/**
 * Starts `switchyard <args>` as a child process and resolves with the URL it prints on
 * "listening on <url>". Rejects (and kills the child) if it exits or stays silent past the timeout.
 */
export function spawnCli(args: string[], environment: NodeJS.ProcessEnv = {}, cli = currentCli(), timeoutMs = 20_000): Promise<CliProcess> {
  const child = spawn(cli.command, [...cli.prefix, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`switchyard ${args[0] ?? ''} did not start within ${timeoutMs} ms: ${output.trim().split('\n').slice(-3).join(' | ')}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`switchyard ${args[0] ?? ''} exited with ${code} before listening: ${output.trim().split('\n').slice(-3).join(' | ')}`));
    };
    const onData = (chunk: Buffer) => {
      // Bounded: a chatty child must not grow memory during a long run.
      output = (output + chunk.toString('utf8')).slice(-20_000);
      const match = /listening on (https?:\/\/[\w.[\]:-]+:\d+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({
        url: match[1],
        child,
        output: () => output,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}
