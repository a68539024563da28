import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox } from '../components/error-text.js';
import { TimeChart, type ChartSeries } from '../components/time-chart.js';
import { formatNumber, t, type MessageKey } from '../i18n/index.js';

interface Figures {
  requests: number;
  ok: number;
  client_errors: number;
  server_errors: number;
  timeouts: number;
  retries: number;
  success_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  throughput_rps: number;
  concurrency: number;
  citation_rate: number | null;
  review_rejections: number;
  negative_feedback: number;
  refusals: number;
  injection_hits: number;
  privilege_attempts: number;
  sensitive_hits: number;
  masked: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number | null;
  cost_per_request: number | null;
}

interface Dashboards {
  step_ms: number;
  from: string;
  to: string;
  points: Array<Figures & { time: string }>;
  totals: Figures;
  departments: Array<{ department: string; requests: number; cost_usd: number | null }>;
}

const RANGES = ['1h', '24h', '7d', '30d'] as const;
const COLORS = ['#1f6feb', '#d1242f', '#9a6700', '#8250df'];

const percent = (value: number | null) => (value === null ? '—' : `${formatNumber(value * 100, 1)}%`);
const ms = (value: number | null) => (value === null ? '—' : `${formatNumber(value, 0)} ms`);
const usd = (value: number | null) => (value === null ? '—' : `$${formatNumber(value, 4)}`);

function Tile(props: { label: MessageKey; value: string; id: string }) {
  return (
    <div class="tile" data-figure={props.id}>
      <span class="tile-label">{t(props.label)}</span>
      <span class="tile-value">{props.value}</span>
    </div>
  );
}

function Section(props: { id: string; title: MessageKey; tiles: preact.ComponentChildren; chart: { series: ChartSeries[] }; times: number[]; children?: preact.ComponentChildren }) {
  return (
    <section class="dashboard" data-dashboard={props.id} aria-labelledby={`dash-${props.id}`}>
      <h2 id={`dash-${props.id}`}>{t(props.title)}</h2>
      <div class="tiles">{props.tiles}</div>
      <TimeChart id={props.id} title={t(props.title)} times={props.times} series={props.chart.series} />
      {props.children}
    </section>
  );
}

export function DashboardsPage() {
  const [range, setRange] = useState<(typeof RANGES)[number]>('24h');
  const [department, setDepartment] = useState('');
  const [data, setData] = useState<Dashboards>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const query = new URLSearchParams({ range, ...(department ? { department } : {}) });
    api<Dashboards>(`/dashboards?${query.toString()}`).then(setData, setError);
  }, [range, department]);

  const times = useMemo(() => (data ? data.points.map((point) => Date.parse(point.time) / 1000) : []), [data]);
  const series = useMemo(() => {
    const pick = (field: keyof Figures, label: MessageKey, index: number): ChartSeries => ({
      label: t(label),
      color: COLORS[index % COLORS.length] as string,
      values: (data?.points ?? []).map((point) => point[field] as number | null),
    });
    return {
      availability: [pick('requests', 'figure.requests', 0), pick('server_errors', 'figure.serverErrors', 1), pick('timeouts', 'figure.timeouts', 2), pick('retries', 'figure.retries', 3)],
      performance: [pick('p50_ms', 'figure.p50', 0), pick('p95_ms', 'figure.p95', 2), pick('p99_ms', 'figure.p99', 1)],
      quality: [pick('citation_rate', 'figure.citationRate', 0), pick('review_rejections', 'figure.reviewRejections', 1), pick('negative_feedback', 'figure.negativeFeedback', 2)],
      risk: [pick('injection_hits', 'figure.injectionHits', 1), pick('privilege_attempts', 'figure.privilegeAttempts', 3), pick('sensitive_hits', 'figure.sensitiveHits', 2)],
      cost: [pick('cost_usd', 'figure.cost', 0)],
    };
  }, [data]);

  const totals = data?.totals;
  const days = data ? (Date.parse(data.to) - Date.parse(data.from)) / 86_400_000 : 1;
  return (
    <div>
      <h1>{t('dashboards.title')}</h1>
      <div class="filters">
        <label>
          {t('dashboards.range')}
          <select value={range} onChange={(event) => setRange((event.target as HTMLSelectElement).value as (typeof RANGES)[number])}>
            {RANGES.map((value) => (
              <option value={value} key={value}>
                {t(`range.${value}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dashboards.department')}
          <select value={department} onChange={(event) => setDepartment((event.target as HTMLSelectElement).value)}>
            <option value="">{t('dashboards.allDepartments')}</option>
            {(data?.departments ?? []).map((entry) => (
              <option value={entry.department} key={entry.department}>
                {entry.department}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={error} />
      {totals && (
        <>
          <Section
            id="availability"
            title="dashboards.availability"
            times={times}
            chart={{ series: series.availability }}
            tiles={
              <>
                <Tile id="success_rate" label="figure.successRate" value={percent(totals.success_rate)} />
                <Tile id="requests" label="figure.requests" value={formatNumber(totals.requests)} />
                <Tile id="errors" label="figure.errors" value={formatNumber(totals.client_errors + totals.server_errors)} />
                <Tile id="timeouts" label="figure.timeouts" value={formatNumber(totals.timeouts)} />
                <Tile id="retries" label="figure.retries" value={formatNumber(totals.retries)} />
              </>
            }
          />
          <Section
            id="performance"
            title="dashboards.performance"
            times={times}
            chart={{ series: series.performance }}
            tiles={
              <>
                <Tile id="p50" label="figure.p50" value={ms(totals.p50_ms)} />
                <Tile id="p95" label="figure.p95" value={ms(totals.p95_ms)} />
                <Tile id="p99" label="figure.p99" value={ms(totals.p99_ms)} />
                <Tile id="throughput" label="figure.throughput" value={`${formatNumber(totals.throughput_rps, 3)} /s`} />
                <Tile id="concurrency" label="figure.concurrency" value={formatNumber(totals.concurrency, 2)} />
              </>
            }
          />
          <Section
            id="quality"
            title="dashboards.quality"
            times={times}
            chart={{ series: series.quality }}
            tiles={
              <>
                <Tile id="citation_rate" label="figure.citationRate" value={percent(totals.citation_rate)} />
                <Tile id="review_rejections" label="figure.reviewRejections" value={formatNumber(totals.review_rejections)} />
                <Tile id="negative_feedback" label="figure.negativeFeedback" value={formatNumber(totals.negative_feedback)} />
              </>
            }
          />
          <Section
            id="risk"
            title="dashboards.risk"
            times={times}
            chart={{ series: series.risk }}
            tiles={
              <>
                <Tile id="injection_hits" label="figure.injectionHits" value={formatNumber(totals.injection_hits)} />
                <Tile id="privilege_attempts" label="figure.privilegeAttempts" value={formatNumber(totals.privilege_attempts)} />
                <Tile id="sensitive_hits" label="figure.sensitiveHits" value={formatNumber(totals.sensitive_hits)} />
              </>
            }
          />
          <Section
            id="cost"
            title="dashboards.cost"
            times={times}
            chart={{ series: series.cost }}
            tiles={
              <>
                <Tile id="cost" label="figure.costInRange" value={usd(totals.cost_usd)} />
                <Tile id="cost_per_day" label="figure.costPerDay" value={usd(totals.cost_usd === null ? null : totals.cost_usd / days)} />
                <Tile id="cost_per_week" label="figure.costPerWeek" value={usd(totals.cost_usd === null ? null : (totals.cost_usd / days) * 7)} />
                <Tile id="cost_per_task" label="figure.costPerTask" value={usd(totals.cost_per_request)} />
              </>
            }
          >
            {totals.cost_usd === null && <p class="hint">{t('dashboards.costNeedsScope')}</p>}
            <table>
              <caption>{t('dashboards.costByDepartment')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dashboards.department')}</th>
                  <th scope="col">{t('figure.requests')}</th>
                  <th scope="col">{t('figure.cost')}</th>
                </tr>
              </thead>
              <tbody>
                {(data?.departments ?? []).map((entry) => (
                  <tr key={entry.department}>
                    <td>{entry.department}</td>
                    <td>{formatNumber(entry.requests)}</td>
                    <td>{usd(entry.cost_usd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
        </>
      )}
    </div>
  );
}
