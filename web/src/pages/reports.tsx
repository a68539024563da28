import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox } from '../components/error-text.js';
import { formatNumber, formatTime, t } from '../i18n/index.js';

interface Stats {
  items: number;
  passRate: number;
  citationRate: number | null;
  piiLeaks: number;
  latencyMs: { p50: number; p95: number };
  costPerItemUsd: number;
}
interface Evaluation {
  release: string;
  target: string;
  generatedAt: string;
  summary: { overall: Stats };
}

/** What the page shows of a report file: one row per eval target, or the load test's summary. */
type Opened =
  | { kind: 'eval'; generatedAt: string; rows: Array<{ target: string; overall: Stats }> }
  | { kind: 'loadtest'; rows: Array<[string, string]> };

const pct = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${formatNumber(value * 100, 1)}%`);

function readReport(text: string): Opened {
  const report = JSON.parse(text) as Record<string, unknown>;
  if (Array.isArray(report.targets)) {
    const targets = report.targets as Array<{ target: string; overall: Stats }>;
    return { kind: 'eval', generatedAt: String(report.generatedAt ?? ''), rows: targets.map((target) => ({ target: target.target, overall: target.overall })) };
  }
  const summary = report.summary as
    | { counts?: { calls?: number; errors?: number }; throughput?: { calls_per_s?: number }; latency_ms?: { p50: number | null; p95: number | null; p99: number | null }; rates?: { error_rate?: number }; slo?: { pass?: boolean } }
    | undefined;
  if (!summary) throw new Error(t('reports.unknownFile'));
  return {
    kind: 'loadtest',
    rows: [
      [t('reports.calls'), formatNumber(summary.counts?.calls ?? 0)],
      [t('figure.throughput'), `${formatNumber(summary.throughput?.calls_per_s ?? 0, 2)} /s`],
      [t('figure.errors'), pct(summary.rates?.error_rate)],
      [t('figure.p50'), `${formatNumber(summary.latency_ms?.p50 ?? 0)} ms`],
      [t('figure.p95'), `${formatNumber(summary.latency_ms?.p95 ?? 0)} ms`],
      [t('figure.p99'), `${formatNumber(summary.latency_ms?.p99 ?? 0)} ms`],
      [t('reports.slo'), summary.slo?.pass ? t('reports.pass') : t('reports.fail')],
    ],
  };
}

function StatsRow(props: { label: string; sub: string; stats: Stats }) {
  const { stats } = props;
  return (
    <tr>
      <td>{props.label}</td>
      <td>{props.sub}</td>
      <td>{formatNumber(stats.items)}</td>
      <td>{pct(stats.passRate)}</td>
      <td>{pct(stats.citationRate)}</td>
      <td>{formatNumber(stats.piiLeaks)}</td>
      <td>{`${formatNumber(stats.latencyMs.p50)} / ${formatNumber(stats.latencyMs.p95)} ms`}</td>
      <td>{`$${formatNumber(stats.costPerItemUsd, 4)}`}</td>
    </tr>
  );
}

function StatsHead(props: { first: string; second: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">{props.first}</th>
        <th scope="col">{props.second}</th>
        <th scope="col">{t('reports.items')}</th>
        <th scope="col">{t('reports.passRate')}</th>
        <th scope="col">{t('figure.citationRate')}</th>
        <th scope="col">{t('reports.piiLeaks')}</th>
        <th scope="col">{t('reports.latency')}</th>
        <th scope="col">{t('reports.costPerItem')}</th>
      </tr>
    </thead>
  );
}

export function ReportsPage() {
  const [evaluations, setEvaluations] = useState<Evaluation[]>();
  const [opened, setOpened] = useState<Opened>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    api<{ data: Evaluation[] }>('/evaluations').then((page) => setEvaluations(page.data), setError);
  }, []);
  const open = async (event: Event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    setError(undefined);
    try {
      setOpened(readReport(await file.text()));
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <div>
      <h1>{t('reports.title')}</h1>
      <ErrorBox error={error} />
      <h2>{t('reports.published')}</h2>
      {evaluations && evaluations.length === 0 && <p>{t('reports.nonePublished')}</p>}
      {evaluations && evaluations.length > 0 && (
        <table>
          <StatsHead first={t('releases.id')} second={t('reports.target')} />
          <tbody>
            {evaluations.map((evaluation) => (
              <StatsRow key={`${evaluation.release}-${evaluation.target}`} label={evaluation.release} sub={`${evaluation.target} · ${formatTime(evaluation.generatedAt)}`} stats={evaluation.summary.overall} />
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('reports.openFile')}</h2>
      <label>
        {t('reports.chooseFile')}
        <input type="file" accept="application/json,.json" onChange={open} />
      </label>
      {opened?.kind === 'eval' && (
        <table>
          <StatsHead first={t('reports.target')} second={t('reports.generated')} />
          <tbody>
            {opened.rows.map((row) => (
              <StatsRow key={row.target} label={row.target} sub={formatTime(opened.generatedAt)} stats={row.overall} />
            ))}
          </tbody>
        </table>
      )}
      {opened?.kind === 'loadtest' && (
        <dl>
          {opened.rows.map(([label, value]) => (
            <>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </>
          ))}
        </dl>
      )}
    </div>
  );
}
