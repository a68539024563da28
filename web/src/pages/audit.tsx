import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox } from '../components/error-text.js';
import { formatNumber, formatTime, t, type MessageKey } from '../i18n/index.js';

interface AuditRecord {
  id: string;
  seq: number;
  time: string;
  requestId: string;
  principal?: { id: string; department?: string; roles: string[] };
  alias?: string;
  deployment?: string;
  tier?: string;
  dataClass?: string;
  ruleMatched?: string;
  status: string;
  httpStatus?: number;
  errorCode?: string;
  latencyMs?: number;
  costUsd?: number;
  entities?: Record<string, number>;
  tokens?: { input: number; output: number };
  attempts?: Array<{ deployment: string; status?: number; code: string; reason: string }>;
  hash: string;
}

interface Verification {
  ok: boolean;
  checked: number;
  head_seq: number;
  first_break: { seq?: number; reason?: string } | null;
}

const FIELDS = ['from', 'to', 'principal', 'department', 'data_class', 'status', 'rule'] as const;
type Field = (typeof FIELDS)[number];

export function AuditPage() {
  const [filters, setFilters] = useState<Record<Field, string>>({ from: '', to: '', principal: '', department: '', data_class: '', status: '', rule: '' });
  const [records, setRecords] = useState<AuditRecord[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState<AuditRecord>();
  const [verification, setVerification] = useState<Verification>();
  const [error, setError] = useState<unknown>();

  const search = async (after?: string) => {
    setError(undefined);
    const query = new URLSearchParams({ limit: '50' });
    for (const field of FIELDS) {
      const value = filters[field];
      if (value === '') continue;
      // datetime-local has no zone: it is the browser's local time.
      query.set(field, field === 'from' || field === 'to' ? new Date(value).toISOString() : value);
    }
    if (after) query.set('cursor', after);
    try {
      const page = await api<{ data: AuditRecord[]; next_cursor: string | null }>(`/audit?${query.toString()}`);
      setRecords(after ? [...(records ?? []), ...page.data] : page.data);
      setCursor(page.next_cursor);
    } catch (caught) {
      setError(caught);
    }
  };

  useEffect(() => {
    void search();
    api<Verification>('/audit/verify').then(setVerification, setError);
  }, []);

  const input = (field: Field, type: 'text' | 'datetime-local' = 'text') => {
    const onInput = (event: Event) => setFilters({ ...filters, [field]: (event.target as HTMLInputElement).value });
    return (
      <label key={field}>
        {t(`audit.filter.${field}` as MessageKey)}
        {type === 'text' ? <input type="text" name={field} value={filters[field]} onInput={onInput} /> : <input type="datetime-local" name={field} value={filters[field]} onInput={onInput} />}
      </label>
    );
  };

  return (
    <div>
      <h1>{t('audit.title')}</h1>
      {verification && (
        <p class={verification.ok ? 'status-ok' : 'status-bad'} data-testid="chain-status" role="status">
          {verification.ok ? t('audit.chainOk', { count: formatNumber(verification.checked), seq: verification.head_seq }) : t('audit.chainBroken', { seq: verification.first_break?.seq ?? '?' })}
        </p>
      )}
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        {input('from', 'datetime-local')}
        {input('to', 'datetime-local')}
        {input('principal')}
        {input('department')}
        {input('data_class')}
        <label>
          {t('audit.filter.status')}
          <select name="status" value={filters.status} onChange={(event) => setFilters({ ...filters, status: (event.target as HTMLSelectElement).value })}>
            <option value="">{t('audit.anyStatus')}</option>
            {['ok', 'denied', 'error', 'incomplete'].map((status) => (
              <option value={status} key={status}>
                {t(`audit.status.${status}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        {input('rule')}
        <button type="submit">{t('audit.search')}</button>
      </form>
      <ErrorBox error={error} />
      {records && records.length === 0 && <p>{t('audit.none')}</p>}
      {records && records.length > 0 && (
        <table class="records">
          <thead>
            <tr>
              <th scope="col">{t('audit.col.time')}</th>
              <th scope="col">{t('audit.col.principal')}</th>
              <th scope="col">{t('audit.filter.department')}</th>
              <th scope="col">{t('audit.col.model')}</th>
              <th scope="col">{t('audit.filter.data_class')}</th>
              <th scope="col">{t('audit.filter.rule')}</th>
              <th scope="col">{t('audit.filter.status')}</th>
              <th scope="col">{t('audit.col.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {records.map((record) => (
              <tr key={record.id} data-request-id={record.requestId}>
                <td>{formatTime(record.time)}</td>
                <td>{record.principal?.id ?? '—'}</td>
                <td>{record.principal?.department ?? '—'}</td>
                <td>{record.alias ?? '—'}</td>
                <td>{record.dataClass ?? '—'}</td>
                <td>{record.ruleMatched ?? '—'}</td>
                <td>{t(`audit.status.${record.status}` as MessageKey)}</td>
                <td>
                  <button type="button" onClick={() => setSelected(record)} aria-label={t('audit.showDetail', { id: record.requestId })}>
                    {t('audit.col.detail')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" onClick={() => void search(cursor)}>
          {t('audit.older')}
        </button>
      )}
      {selected && (
        <section class="detail" aria-labelledby="audit-detail" data-testid="audit-detail">
          <h2 id="audit-detail">{t('audit.detailTitle', { id: selected.requestId })}</h2>
          <dl>
            <dt>{t('audit.col.time')}</dt>
            <dd>{formatTime(selected.time)}</dd>
            <dt>{t('audit.col.model')}</dt>
            <dd>{`${selected.alias ?? '—'} → ${selected.deployment ?? '—'} (${selected.tier ?? '—'})`}</dd>
            <dt>{t('audit.httpStatus')}</dt>
            <dd>{`${selected.httpStatus ?? '—'} ${selected.errorCode ?? ''}`}</dd>
            <dt>{t('audit.latency')}</dt>
            <dd>{selected.latencyMs === undefined ? '—' : `${formatNumber(selected.latencyMs)} ms`}</dd>
            <dt>{t('audit.tokens')}</dt>
            <dd>{selected.tokens ? `${selected.tokens.input} / ${selected.tokens.output}` : '—'}</dd>
            <dt>{t('audit.entities')}</dt>
            <dd>{selected.entities && Object.keys(selected.entities).length > 0 ? Object.entries(selected.entities).map(([type, count]) => `${type}×${count}`).join(', ') : '—'}</dd>
            <dt>{t('audit.seq')}</dt>
            <dd>{`${selected.seq} · ${selected.hash.slice(0, 16)}…`}</dd>
          </dl>
          <h3>{t('audit.attempts')}</h3>
          {(selected.attempts ?? []).length === 0 ? (
            <p>{t('audit.noAttempts')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('audit.attempt.deployment')}</th>
                  <th scope="col">{t('audit.httpStatus')}</th>
                  <th scope="col">{t('audit.attempt.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {(selected.attempts ?? []).map((attempt, index) => (
                  <tr key={index}>
                    <td>{attempt.deployment}</td>
                    <td>{`${attempt.status ?? '—'} ${attempt.code}`}</td>
                    <td>{attempt.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
