import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS } from '../../bench/lib/gateway-node-flags.mjs';

/**
 * The Dockerfile, checked without a Docker engine (this machine and CI have only the client):
 * its stages, user, health check, labels and copied paths are read from the file, and its
 * runtime stage is replayed in a temporary folder — `npm ci --omit=dev`, then the built CLI run
 * from a read-only copy with only a data folder writable, the health check's own command
 * against it, and SIGTERM → exit 0. docs/cluster.md says what this does not prove.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  base: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Instructions with line continuations joined and comments dropped, grouped by stage. */
function parseDockerfile(source: string): { args: Map<string, string>; stages: Stage[] } {
  const lines = source.replace(/\\\n/g, ' ').split('\n');
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [, keyword, rest] = /^(\w+)\s+(.*)$/s.exec(trimmed) ?? [];
    if (!keyword) throw new Error(`unreadable Dockerfile line: ${trimmed}`);
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, base, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest!.trim()) ?? [];
      stages.push({ base: base!.replace(/^\$\{(\w+)\}$/, (_, arg: string) => args.get(arg) ?? ''), name, instructions: [] });
    } else if (upper === 'ARG' && stages.length === 0) {
      const [name, value] = rest!.split('=');
      args.set(name!.trim(), value?.trim() ?? '');
    } else if (stages.length > 0) stages.at(-1)!.instructions.push({ keyword: upper, args: rest!.trim() });
  }
  return { args, stages };
}

const { stages } = parseDockerfile(text);
const runtime = stages.at(-1)!;
const all = (stage: Stage, keyword: string) => stage.instructions.filter((instruction) => instruction.keyword === keyword);
const temporary: string[] = [];

afterAll(() => {
  for (const directory of temporary) {
    spawnSync('chmod', ['-R', 'u+w', directory]);
    rmSync(directory, { recursive: true, force: true });
  }
});

describe('Dockerfile', () => {
  it('builds in a stage with dev dependencies and runs on a slim Node 20 LTS base with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages.find((stage) => stage.name === 'build')!;
    expect(all(build, 'RUN').map((run) => run.args)).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b(?!.*--omit=dev)/), 'npm run build']));
    // The runtime base: slim, Node 20, pinned to a minor release, the same major as the tests run on.
    expect(runtime.base).toMatch(/^node:20\.\d+-(bookworm|bullseye)-slim$/);
    expect(process.versions.node.split('.')[0]).toBe('20');
    // The runtime stage installs nothing itself: node_modules come from an `npm ci --omit=dev` stage.
    expect(all(runtime, 'RUN').some((run) => /npm (ci|install)/.test(run.args))).toBe(false);
    const copies = all(runtime, 'COPY').map((copy) => copy.args);
    const modules = copies.find((copy) => copy.includes('node_modules'))!;
    const from = /--from=(\S+)/.exec(modules)?.[1];
    const depsStage = stages.find((stage) => stage.name === from)!;
    expect(all(depsStage, 'RUN').some((run) => /npm ci\b.*--omit=dev/.test(run.args))).toBe(true);
    // Every --from names an earlier stage.
    for (const copy of copies.filter((args) => args.includes('--from='))) {
      expect(stages.slice(0, -1).map((stage) => stage.name)).toContain(/--from=(\S+)/.exec(copy)![1]);
    }
  });

  it('runs as a non-root user with a writable /data volume, a HEALTHCHECK, exec-form entrypoint and the OCI labels', () => {
    const user = all(runtime, 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(all(runtime, 'VOLUME').map((volume) => volume.args)).toEqual(['["/data"]']);
    const health = all(runtime, 'HEALTHCHECK')[0]?.args ?? '';
    expect(health).toMatch(/CMD \["node", "-e", ".*\/healthz/);
    // The V8 flags are the ones the benchmark measured (bench/lib/gateway-node-flags.mjs).
    expect(JSON.parse(all(runtime, 'ENTRYPOINT')[0]!.args)).toEqual(['node', ...GATEWAY_NODE_FLAGS, '/app/dist/cli/index.js']);
    expect(JSON.parse(all(runtime, 'CMD')[0]!.args)).toEqual(['serve', '--config', '/etc/switchyard/switchyard.yaml']);
    expect(all(runtime, 'EXPOSE').map((expose) => expose.args)).toEqual(['8080']);
    const labels = all(runtime, 'LABEL').map((label) => label.args).join(' ');
    for (const key of ['title', 'description', 'licenses', 'source', 'version', 'revision', 'created']) expect(labels).toContain(`org.opencontainers.image.${key}=`);
    expect(labels).toContain('org.opencontainers.image.licenses="Apache-2.0"');
    // Copied files are owned by root and the user is not: the app cannot rewrite itself.
    for (const copy of all(runtime, 'COPY')) expect(copy.args).toContain('--chown=root:root');
  });

  it('copies only paths that exist and that .dockerignore does not exclude', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const stage of stages) {
      for (const copy of all(stage, 'COPY').filter((instruction) => !instruction.args.includes('--from='))) {
        const parts = copy.args.split(/\s+/).filter((part) => !part.startsWith('--'));
        for (const source of parts.slice(0, -1)) {
          expect(existsSync(join(ROOT, source)), `COPY ${source}`).toBe(true);
          expect(ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)), `${source} is in .dockerignore`).toBe(false);
        }
      }
    }
    // What the build stage produces is what the runtime copies: tsc writes dist/.
    const outDir = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { outDir: string } }).compilerOptions.outDir;
    expect(outDir.replace(/^\.\//, '')).toBe('dist');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
  });

  it('replays the runtime stage: production dependencies only, read-only app, writes only to the data folder, health check passes, SIGTERM exits 0', async () => {
    const base = mkdtempSync(join(tmpdir(), 'switchyard-image-'));
    temporary.push(base);
    const app = join(base, 'app');
    const data = join(base, 'data');
    mkdirSync(app);
    mkdirSync(data);
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(ROOT, file), join(app, file));
    const install = spawnSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, encoding: 'utf8', timeout: 240_000 });
    expect(install.status, install.stderr).toBe(0);
    // --ignore-scripts skipped better-sqlite3's install script (prebuilt download or compile in the
    // image); take the addon this machine's install produced instead.
    cpSync(join(ROOT, 'node_modules/better-sqlite3/build'), join(app, 'node_modules/better-sqlite3/build'), { recursive: true });
    // No dev dependency made it in.
    const installed = new Set(readdirSync(join(app, 'node_modules')));
    for (const dev of ['typescript', 'vitest', 'tsx', 'openai', 'playwright-core']) expect(installed.has(dev), dev).toBe(false);
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'examples'), join(app, 'examples'), { recursive: true });
    const config = join(base, 'switchyard.yaml');
    writeFileSync(config, readFileSync(join(ROOT, 'deploy/docker/switchyard.yaml'), 'utf8').replace('sqlite:/data/', `sqlite:${data}/`).replace('port: 8080', 'port: 0'));
    const sizeKb = Number(spawnSync('du', ['-sk', app], { encoding: 'utf8' }).stdout.split('\t')[0]);
    console.log(`image estimate: application layers ${Math.round(sizeKb / 1024)} MB (dist + production node_modules + examples) on top of the base image`);
    // The image's root filesystem is read-only.
    spawnSync('chmod', ['-R', 'a-w', app]);
    chmodSync(config, 0o444);

    const cli = join(app, 'dist/cli/index.js');
    const help = spawnSync(process.execPath, [cli, '--help'], { cwd: data, encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('serve');
    const environment = { ...process.env, NODE_ENV: 'production', SWITCHYARD_API_KEY: 'sy-image-test-key-0123456789' };
    const check = spawnSync(process.execPath, [cli, 'config', 'check', '--config', config], { cwd: data, encoding: 'utf8', env: environment });
    expect(check.status, check.stderr).toBe(0);

    const child = spawn(process.execPath, [cli, 'serve', '--config', config, '--host', '127.0.0.1'], { cwd: data, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[0]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`gateway exited ${code}:\n${output}`)));
    });
    // The HEALTHCHECK's own command, pointed at this port.
    const healthCommand = JSON.parse(/CMD (\[.*\])/.exec(all(runtime, 'HEALTHCHECK')[0]!.args)![1]!) as string[];
    const probe = spawnSync(process.execPath, healthCommand.slice(1).map((part) => part.replace('http://127.0.0.1:8080', url)), { encoding: 'utf8' });
    expect(probe.status, probe.stderr).toBe(0);
    const answer = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${environment.SWITCHYARD_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat-default', messages: [{ role: 'user', content: 'from the image' }] }),
    });
    expect(answer.status).toBe(200);
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Everything it wrote is in the data folder: the database and its generated audit key.
    expect(readdirSync(data).sort()).toEqual(expect.arrayContaining(['audit-secret', 'switchyard.db']));
    expect(statSync(join(data, 'audit-secret')).mode & 0o777).toBe(0o600);
  }, 300_000);
});
