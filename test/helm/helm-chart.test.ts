import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parse, parseAllDocuments } from 'yaml';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { runSwitchyard, startSwitchyard, writeTempConfig } from '../e2e/process-harness.js';
import { canConnect, unique } from '../e2e/traffic-helpers.js';
import { renderTemplates, TemplateError } from './helm-template.js';

/**
 * The Helm chart, checked as far as this environment allows (no helm binary, no cluster): every
 * template is rendered with the default values and with each option switched on, every manifest
 * is validated against the Kubernetes (and Prometheus Operator) schemas, and the config the
 * chart mounts is accepted by `switchyard config check`.
 */

const POSTGRES_URL = process.env.SWITCHYARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
async function postgresReachable(): Promise<boolean> {
  const sql = postgres(POSTGRES_URL, { max: 1, connect_timeout: 3, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}
const storesUp = (await postgresReachable()) && (await canConnect('127.0.0.1', 6379, 1_000));
if (!storesUp) {
  if (process.env.CI === 'true') throw new Error('helm-chart.test.ts needs PostgreSQL (127.0.0.1:5432, db test) and Redis (127.0.0.1:6379) in CI.');
  console.warn('\n  ⚠ SKIPPING the replay of the chart on PostgreSQL and Redis: one of them is unreachable\n');
}

const CHART = resolve(import.meta.dirname, '../../deploy/helm/switchyard');
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Record<string, unknown>;
type Values = Record<string, unknown>;

const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { name: string; version: string; appVersion: string };
const defaults = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Values;
const templates = Object.fromEntries(readdirSync(join(CHART, 'templates')).map((name) => [name, readFileSync(join(CHART, 'templates', name), 'utf8')]));

/** `--set`-like override: objects merge key by key, everything else replaces. */
function merge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof override !== 'object' || override === null || Array.isArray(override)) return override;
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) result[key] = merge(result[key], value);
  return result;
}

function render(overrides: Values = {}): Manifest[] {
  const values = merge(defaults, { existingSecret: 'switchyard', ...overrides }) as Values;
  const rendered = renderTemplates(templates, {
    Values: values,
    Release: { Name: 'prod', Namespace: 'llm', Service: 'Helm', IsInstall: true, IsUpgrade: false },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  });
  return Object.values(rendered).flatMap((text) =>
    parseAllDocuments(text).flatMap((document) => {
      if (document.errors.length > 0) throw new Error(`rendered YAML does not parse: ${document.errors[0]!.message}\n${text}`);
      const value = document.toJS() as Manifest | null;
      return value ? [value] : [];
    }),
  );
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

/** Validates every manifest against its Kubernetes schema; an unknown kind is an error too. */
function validateAll(manifests: Manifest[]): void {
  for (const manifest of manifests) {
    const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
    expect(Model, `no schema for ${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
    expect(() => new Model!(manifest as never).validate(), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    // DNS-1123: names and label values Kubernetes would refuse.
    expect(manifest.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(manifest.metadata.name.length).toBeLessThanOrEqual(63);
    for (const value of Object.values(manifest.metadata.labels ?? {})) expect(value).toMatch(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
  }
}

const find = <T = Record<string, unknown>>(manifests: Manifest[], kind: string): T & Manifest => manifests.find((manifest) => manifest.kind === kind) as T & Manifest;
const kinds = (manifests: Manifest[]) => manifests.map((manifest) => manifest.kind).sort();

type Container = { name: string; image: string; args: string[]; env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>; securityContext: Record<string, unknown>; resources: Record<string, unknown>; readinessProbe?: { httpGet: { path: string } }; livenessProbe?: { httpGet: { path: string } }; volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }> };
type PodSpec = { containers: Container[]; initContainers?: Container[]; securityContext: Record<string, unknown>; terminationGracePeriodSeconds: number; volumes: Array<Record<string, unknown>> };
const podOf = (manifest: Manifest) => (manifest as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;

describe('Helm chart deploy/helm/switchyard', () => {
  it('renders the defaults into valid manifests: Deployment, Service, ConfigMap, HPA, PDB, ServiceAccount and the migration Job', () => {
    const manifests = render();
    validateAll(manifests);
    expect(kinds(manifests)).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Job', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    const deployment = find(manifests, 'Deployment');
    expect(deployment.metadata.name).toBe('prod-switchyard');
    // The HPA owns the replica count.
    expect((deployment as unknown as { spec: { replicas?: number } }).spec.replicas).toBeUndefined();
    const pod = podOf(deployment);
    const gateway = pod.containers[0]!;
    expect(gateway.image).toBe(`ghcr.io/switchyard/switchyard:${chart.appVersion}`);
    expect(gateway.args).toEqual(['serve', '--config', '/etc/switchyard/switchyard.yaml']);
    expect(gateway.readinessProbe?.httpGet.path).toBe('/readyz');
    expect(gateway.livenessProbe?.httpGet.path).toBe('/healthz');
    expect(gateway.resources).toMatchObject({ requests: { cpu: '1', memory: '512Mi' }, limits: { memory: '768Mi' } });
    expect(gateway.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(gateway.volumeMounts?.find((mount) => mount.mountPath === '/data')).toBeDefined();
    // The drain ends before the kubelet's SIGKILL.
    const config = parse((find<{ data: Record<string, string> }>(manifests, 'ConfigMap')).data['switchyard.yaml']!) as { server: { shutdown: { deadline_ms: number; grace_ms: number } }; storage: { migrate_on_start: boolean } };
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(config.server.shutdown.deadline_ms + 5_000);
    // The readiness probe notices the drain well within the grace period.
    const probe = defaults.readinessProbe as { periodSeconds: number; failureThreshold: number };
    expect(probe.periodSeconds * probe.failureThreshold * 1000).toBeLessThanOrEqual(config.server.shutdown.grace_ms);
    // Migrations run in the Job, so the pods do not.
    expect(config.storage.migrate_on_start).toBe(false);
    const job = find(manifests, 'Job');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(podOf(job).containers[0]!.args).toEqual(['migrate', '--storage', 'postgres://switchyard@postgresql:5432/switchyard']);
    // A config change rolls the pods.
    expect((deployment as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes secrets only by reference: every secret variable comes from an existing Secret, and values.yaml holds no secret value', () => {
    const pod = podOf(find(render({ extraSecretEnv: [{ name: 'OPENAI_API_KEY', secretName: 'llm-keys', key: 'openai' }] }), 'Deployment'));
    const env = pod.containers[0]!.env;
    for (const name of ['SWITCHYARD_AUDIT_SECRET', 'SWITCHYARD_ADMIN_KEY', 'SWITCHYARD_KEY_STORE_SECRET', 'PGPASSWORD', 'SWITCHYARD_REDIS_URL']) {
      const variable = env.find((entry) => entry.name === name);
      expect(variable?.value, name).toBeUndefined();
      expect(variable?.valueFrom?.secretKeyRef.name, name).toBe('switchyard');
    }
    expect(env.find((entry) => entry.name === 'OPENAI_API_KEY')?.valueFrom?.secretKeyRef).toEqual({ name: 'llm-keys', key: 'openai' });

    // Every string in values.yaml: no credentials in URLs, and every config field that holds a
    // secret is a ${env:…} reference.
    const walk = (value: unknown, path: string[]): void => {
      if (typeof value === 'string') {
        expect(value, path.join('.')).not.toMatch(/:\/\/[^/@\s]+:[^/@\s]+@/);
        if (path[0] === 'config' && /secret|key$|password|token|^url$/.test(path.at(-1)!) && !['key_prefix'].includes(path.at(-1)!) && path.at(-2) !== 'storage') {
          expect(value, path.join('.')).toMatch(/^\$\{env:[A-Z0-9_]+\}$/);
        }
      } else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) walk(inner, [...path, key]);
    };
    walk(defaults, []);
    expect(defaults.existingSecret).toBe('');
  });

  it('refuses to render without existingSecret, naming the remedy', () => {
    expect(() => render({ existingSecret: '' })).toThrow(TemplateError);
    expect(() => render({ existingSecret: '' })).toThrow(/existingSecret is required/);
  });

  it.each([
    ['ingress with TLS', { ingress: { enabled: true, className: 'nginx', tls: [{ secretName: 'switchyard-tls', hosts: ['switchyard.example.internal'] }] } }, 'Ingress'],
    ['ServiceMonitor', { serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } } }, 'ServiceMonitor'],
    ['memory target on the HPA', { autoscaling: { targetMemoryUtilizationPercentage: 80 } }, 'HorizontalPodAutoscaler'],
    ['PDB by maxUnavailable', { podDisruptionBudget: { maxUnavailable: 1 } }, 'PodDisruptionBudget'],
    ['pod placement', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'switchyard' } } }], nodeSelector: { pool: 'cpu' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'llm', effect: 'NoSchedule' }], podAnnotations: { team: 'platform' }, imagePullSecrets: [{ name: 'registry' }] }, 'Deployment'],
  ])('renders valid manifests with %s', (_name, overrides, kind) => {
    const manifests = render(overrides as Values);
    validateAll(manifests);
    expect(kinds(manifests)).toContain(kind);
  });

  it('routes the Ingress and the ServiceMonitor to the Service port by name', () => {
    const manifests = render({ ingress: { enabled: true }, serviceMonitor: { enabled: true } });
    const ingress = find<{ spec: { rules: Array<{ host: string; http: { paths: Array<{ backend: { service: { name: string; port: { name: string } } } }> } }> } }>(manifests, 'Ingress');
    expect(ingress.spec.rules[0]!.host).toBe('switchyard.example.internal');
    expect(ingress.spec.rules[0]!.http.paths[0]!.backend.service).toEqual({ name: 'prod-switchyard', port: { name: 'http' } });
    const monitor = find<{ spec: { endpoints: Array<{ port: string; path: string }> } }>(manifests, 'ServiceMonitor');
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
  });

  it('without autoscaling: a fixed replica count and no HPA; without a PDB: none', () => {
    const manifests = render({ autoscaling: { enabled: false }, replicaCount: 3, podDisruptionBudget: { enabled: false } });
    validateAll(manifests);
    expect(kinds(manifests)).not.toContain('HorizontalPodAutoscaler');
    expect(kinds(manifests)).not.toContain('PodDisruptionBudget');
    expect((find(manifests, 'Deployment') as unknown as { spec: { replicas: number } }).spec.replicas).toBe(3);
  });

  it('migrations as an init container instead of a Job, or not at all', () => {
    const init = render({ migrations: { mode: 'initContainer' } });
    validateAll(init);
    expect(kinds(init)).not.toContain('Job');
    const migrate = podOf(find(init, 'Deployment')).initContainers?.[0];
    expect(migrate?.args.slice(0, 1)).toEqual(['migrate']);
    expect(migrate?.env.find((entry) => entry.name === 'PGPASSWORD')?.valueFrom?.secretKeyRef.name).toBe('switchyard');
    const none = render({ migrations: { mode: 'none' }, config: { storage: { migrate_on_start: true } } });
    validateAll(none);
    expect(kinds(none)).not.toContain('Job');
    expect(podOf(find(none, 'Deployment')).initContainers).toBeUndefined();
  });

  it('mounts a config that `switchyard config check` accepts', async () => {
    const configMap = find<{ data: Record<string, string> }>(render(), 'ConfigMap');
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-helm-'));
    const path = join(directory, 'switchyard.yaml');
    writeFileSync(path, configMap.data['switchyard.yaml']!);
    const environment = {
      SWITCHYARD_AUDIT_SECRET: 'a'.repeat(32),
      SWITCHYARD_ADMIN_KEY: 'sy-admin-0123456789abcdef',
      SWITCHYARD_KEY_STORE_SECRET: 'k'.repeat(32),
      SWITCHYARD_REDIS_URL: 'redis://redis:6379',
    };
    const result = await runSwitchyard(['config', 'check', '--config', path], environment);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(': ok (1 deployments, 1 model aliases');
  });

  it('the renderer refuses what it does not implement, instead of rendering it wrongly', () => {
    expect(() => renderTemplates({ 'x.yaml': '{{ .Values.a | b64enc }}' }, { Values: { a: 'x' } })).toThrow(/not supported/);
    expect(() => renderTemplates({ 'x.yaml': '{{ if .Values.a }}' }, { Values: {} })).toThrow(/missing \{\{end\}\}/);
  });

  it.skipIf(!storesUp)('replays an install on the real PostgreSQL and Redis: the Job\'s migrate command, then a pod\'s command on the mounted config becomes ready and drains to exit 0', async () => {
    const manifests = render();
    const schema = `e2e_helm_${process.pid}_${Date.now()}`;
    const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    try {
      const url = new URL(POSTGRES_URL);
      url.searchParams.set('search_path', schema);
      const storageUrl = url.toString();
      const job = podOf(find(manifests, 'Job')).containers[0]!;
      const chartUrl = job.args[2]!;
      const migrate = await runSwitchyard([...job.args.slice(0, 2), storageUrl]);
      expect(migrate.code, migrate.stderr).toBe(0);
      const gateway = podOf(find(manifests, 'Deployment')).containers[0]!;
      const text = find<{ data: Record<string, string> }>(manifests, 'ConfigMap')
        .data['switchyard.yaml']!.replace(chartUrl, storageUrl)
        .replace('host: 0.0.0.0', 'host: 127.0.0.1')
        .replace('port: 8080', 'port: 0')
        .replace('key_prefix: "switchyard:"', `key_prefix: "${unique('sy-helm')}:"`)
        .replace('grace_ms: 5000', 'grace_ms: 0');
      expect(text).toContain('migrate_on_start: false');
      const path = writeTempConfig(text);
      // The Secret's keys, as the pod's environment would carry them.
      const environment = {
        SWITCHYARD_AUDIT_SECRET: 'a'.repeat(32),
        SWITCHYARD_ADMIN_KEY: 'sy-admin-0123456789abcdef',
        SWITCHYARD_KEY_STORE_SECRET: 'k'.repeat(32),
        SWITCHYARD_REDIS_URL: 'redis://127.0.0.1:6379',
        PGPASSWORD: '',
      };
      expect(gateway.env.filter((entry) => entry.valueFrom).map((entry) => entry.name).sort()).toEqual(Object.keys(environment).sort());
      const pod = await startSwitchyard([...gateway.args.slice(0, 2), path], environment, 30_000);
      const ready = await fetch(`${pod.url}${gateway.readinessProbe!.httpGet.path}`);
      expect(ready.status).toBe(200);
      expect((await fetch(`${pod.url}${gateway.livenessProbe!.httpGet.path}`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => pod.child.once('exit', (code) => resolve(code)));
      pod.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end({ timeout: 5 });
    }
  }, 90_000);
});
