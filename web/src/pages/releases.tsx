import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox } from '../components/error-text.js';
import { formatTime, t } from '../i18n/index.js';

interface ReleaseList {
  state: { production?: string; canary?: { release: string; percent: number; cohort?: string } };
  releases: Array<{ id: string; createdAt: string; author?: string; note?: string }>;
  events: Array<{ time: string; action: string; release?: string; actor?: string; reason?: string }>;
}

export function ReleasesPage() {
  const [data, setData] = useState<ReleaseList>();
  const [note, setNote] = useState('');
  const [percent, setPercent] = useState(10);
  const [error, setError] = useState<unknown>();
  const load = () => api<ReleaseList>('/releases').then(setData, setError);
  useEffect(() => void load(), []);
  const act = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      await load();
    } catch (caught) {
      setError(caught);
    }
  };
  const canary = data?.state.canary;
  return (
    <div>
      <h1>{t('releases.title')}</h1>
      <ErrorBox error={error} />
      {data && (
        <p data-testid="release-state">
          {t('releases.production', { id: data.state.production ?? t('releases.configOnly') })}
          {canary ? ` · ${t('releases.canary', { id: canary.release, percent: canary.percent })}` : ''}
        </p>
      )}
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void act(() => api('/releases', { method: 'POST', body: note ? { note } : {} }));
        }}
      >
        <label>
          {t('releases.note')}
          <input value={note} onInput={(event) => setNote((event.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">{t('releases.snapshot')}</button>
        <label>
          {t('releases.percent')}
          <input type="number" min={0} max={100} value={percent} onInput={(event) => setPercent(Number((event.target as HTMLInputElement).value))} />
        </label>
        <button type="button" onClick={() => void act(() => api('/releases/rollback', { method: 'POST', body: {} }))}>
          {t('releases.rollback')}
        </button>
      </form>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('releases.id')}</th>
            <th scope="col">{t('releases.created')}</th>
            <th scope="col">{t('releases.author')}</th>
            <th scope="col">{t('releases.note')}</th>
            <th scope="col">{t('keys.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(data?.releases ?? []).map((release) => (
            <tr key={release.id}>
              <td>
                <code>{release.id}</code>
              </td>
              <td>{formatTime(release.createdAt)}</td>
              <td>{release.author ?? '—'}</td>
              <td>{release.note ?? '—'}</td>
              <td>
                <button type="button" onClick={() => void act(() => api(`/releases/${encodeURIComponent(release.id)}/promote`, { method: 'POST', body: { canary_percent: percent } }))}>
                  {t('releases.promoteCanary')}
                </button>
                <button type="button" onClick={() => void act(() => api(`/releases/${encodeURIComponent(release.id)}/promote`, { method: 'POST', body: {} }))}>
                  {t('releases.promote')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('releases.events')}</h2>
      <ul>
        {(data?.events ?? []).map((event, index) => (
          <li key={index}>{`${formatTime(event.time)} · ${event.action} · ${event.release ?? '—'} · ${event.actor ?? '—'}${event.reason ? ` · ${event.reason}` : ''}`}</li>
        ))}
      </ul>
    </div>
  );
}
