import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox } from '../components/error-text.js';
import { formatTime, t, type MessageKey } from '../i18n/index.js';

interface KeyView {
  id: string;
  name: string | null;
  prefix: string;
  owner: string;
  department: string | null;
  roles: string[];
  status: string;
  created_at: string;
  expires_at: string | null;
}

const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);

export function KeysPage() {
  const [keys, setKeys] = useState<KeyView[]>([]);
  const [form, setForm] = useState({ owner: '', name: '', department: '', roles: '', models: '' });
  const [shown, setShown] = useState<{ id: string; key: string }>();
  const [confirming, setConfirming] = useState<string>();
  const [error, setError] = useState<unknown>();

  const load = () => api<{ data: KeyView[] }>('/keys?include_revoked=true').then((page) => setKeys(page.data), setError);
  useEffect(() => void load(), []);

  const act = async (work: () => Promise<void>) => {
    setError(undefined);
    try {
      await work();
      await load();
    } catch (caught) {
      setError(caught);
    }
  };
  const create = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const body = {
        owner: form.owner,
        ...(form.name ? { name: form.name } : {}),
        ...(form.department ? { department: form.department } : {}),
        roles: list(form.roles),
        ...(form.models ? { models: list(form.models) } : {}),
      };
      const created = await api<KeyView & { key: string }>('/keys', { method: 'POST', body });
      setShown({ id: created.id, key: created.key });
      setForm({ owner: '', name: '', department: '', roles: '', models: '' });
    });
  };
  const field = (name: keyof typeof form, label: MessageKey, required = false) => (
    <label>
      {t(label)}
      <input name={name} value={form[name]} required={required} onInput={(event) => setForm({ ...form, [name]: (event.target as HTMLInputElement).value })} />
    </label>
  );

  return (
    <div>
      <h1>{t('keys.title')}</h1>
      {shown && (
        <section class="secret" role="alert" data-testid="new-key">
          <h2>{t('keys.shownOnce')}</h2>
          <p>{t('keys.shownOnceHint')}</p>
          <code data-field="key">{shown.key}</code>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(shown.key)}>
            {t('keys.copy')}
          </button>
          <button type="button" onClick={() => setShown(undefined)}>
            {t('keys.done')}
          </button>
        </section>
      )}
      <form class="filters" onSubmit={create} aria-label={t('keys.create')}>
        {field('owner', 'keys.owner', true)}
        {field('name', 'keys.name')}
        {field('department', 'keys.department')}
        {field('roles', 'keys.roles')}
        {field('models', 'keys.models')}
        <button type="submit">{t('keys.create')}</button>
      </form>
      <ErrorBox error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{t('keys.name')}</th>
            <th scope="col">{t('keys.prefix')}</th>
            <th scope="col">{t('keys.owner')}</th>
            <th scope="col">{t('keys.department')}</th>
            <th scope="col">{t('keys.roles')}</th>
            <th scope="col">{t('keys.status')}</th>
            <th scope="col">{t('keys.created')}</th>
            <th scope="col">{t('keys.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id} data-key-id={key.id}>
              <td>{key.name ?? key.id}</td>
              <td>
                <code>{key.prefix}</code>
              </td>
              <td>{key.owner}</td>
              <td>{key.department ?? '—'}</td>
              <td>{key.roles.join(', ') || '—'}</td>
              <td>{t(`keys.status.${key.status}` as MessageKey)}</td>
              <td>{formatTime(key.created_at)}</td>
              <td>
                {key.status === 'active' && (
                  <>
                    <button
                      type="button"
                      onClick={() =>
                        void act(async () => {
                          const rotated = await api<{ id: string; key: string }>(`/keys/${encodeURIComponent(key.id)}/rotate`, { method: 'POST', body: {} });
                          setShown({ id: rotated.id, key: rotated.key });
                        })
                      }
                    >
                      {t('keys.rotate')}
                    </button>
                    {confirming === key.id ? (
                      <button type="button" class="danger" onClick={() => void act(async () => void (await api(`/keys/${encodeURIComponent(key.id)}/revoke`, { method: 'POST', body: {} })))}>
                        {t('keys.confirmRevoke')}
                      </button>
                    ) : (
                      <button type="button" onClick={() => setConfirming(key.id)}>
                        {t('keys.revoke')}
                      </button>
                    )}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
