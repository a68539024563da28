import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox } from '../components/error-text.js';
import { formatNumber, t, type MessageKey } from '../i18n/index.js';

interface Budget {
  id: string;
  scope: string;
  period: string;
  period_key: string;
  limit_usd: number;
  spent_usd: number;
  used: number;
}

interface SpendReport {
  period: string;
  totalUsd: number;
  costComplete: boolean;
  rows: Array<{ group: string | null; requests: number; inputTokens: number; outputTokens: number; costUsd: number }>;
}

const DIMENSIONS = ['department', 'team', 'key', 'tag', 'deployment', 'tier', 'alias'] as const;
const usd = (value: number) => `$${formatNumber(value, 2)}`;

export function BudgetsPage() {
  const [budgets, setBudgets] = useState<Budget[]>();
  const [by, setBy] = useState<string>('department');
  const [period, setPeriod] = useState('');
  const [report, setReport] = useState<SpendReport>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    api<{ data: Budget[] }>('/budgets').then((page) => setBudgets(page.data), setError);
  }, []);
  useEffect(() => {
    const query = new URLSearchParams({ by, ...(period ? { period } : {}) });
    api<SpendReport>(`/spend?${query.toString()}`).then(setReport, setError);
  }, [by, period]);

  return (
    <div>
      <h1>{t('budgets.title')}</h1>
      <ErrorBox error={error} />
      <h2>{t('budgets.limits')}</h2>
      {budgets && budgets.length === 0 && <p>{t('budgets.none')}</p>}
      {budgets && budgets.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('budgets.budget')}</th>
              <th scope="col">{t('budgets.scope')}</th>
              <th scope="col">{t('budgets.period')}</th>
              <th scope="col">{t('budgets.usage')}</th>
            </tr>
          </thead>
          <tbody>
            {budgets.map((budget) => (
              <tr key={budget.id}>
                <td>{budget.id}</td>
                <td>{budget.scope}</td>
                <td>{`${t(`budgets.period.${budget.period}` as MessageKey)} (${budget.period_key})`}</td>
                <td>
                  <meter min={0} max={1} low={0.8} high={0.95} optimum={0} value={Math.min(1, budget.used)} aria-label={t('budgets.usageOf', { id: budget.id })} />
                  {` ${usd(budget.spent_usd)} / ${usd(budget.limit_usd)} (${formatNumber(budget.used * 100, 1)}%)`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('budgets.spend')}</h2>
      <div class="filters">
        <label>
          {t('budgets.groupBy')}
          <select value={by} onChange={(event) => setBy((event.target as HTMLSelectElement).value)}>
            {DIMENSIONS.map((dimension) => (
              <option value={dimension} key={dimension}>
                {t(`budgets.by.${dimension}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('budgets.month')}
          <input type="month" value={period} onInput={(event) => setPeriod((event.target as HTMLInputElement).value)} />
        </label>
      </div>
      {report && (
        <table data-testid="spend">
          <caption>{t('budgets.spendCaption', { period: report.period, total: usd(report.totalUsd) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`budgets.by.${by}` as MessageKey)}</th>
              <th scope="col">{t('figure.requests')}</th>
              <th scope="col">{t('budgets.tokens')}</th>
              <th scope="col">{t('figure.cost')}</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((row) => (
              <tr key={row.group ?? '-'}>
                <td>{row.group ?? t('budgets.unattributed')}</td>
                <td>{formatNumber(row.requests)}</td>
                <td>{`${formatNumber(row.inputTokens)} / ${formatNumber(row.outputTokens)}`}</td>
                <td>{usd(row.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report && !report.costComplete && <p class="hint">{t('budgets.incomplete')}</p>}
    </div>
  );
}
