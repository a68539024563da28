import { useEffect, useState } from 'preact/hooks';
import { api, type SessionInfo } from '../api.js';
import { ErrorBox } from '../components/error-text.js';
import { t } from '../i18n/index.js';

export function SignInPage(props: { onSignedIn: (session: SessionInfo) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>();
  const [oidc, setOidc] = useState(false);
  useEffect(() => {
    api<{ sign_in: { oidc: boolean } }>('/info').then((info) => setOidc(info.sign_in.oidc), () => undefined);
  }, []);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      props.onSignedIn(await api<SessionInfo>('/session', { method: 'POST', body: { key } }));
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <main class="sign-in">
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={submit}>
        <label>
          {t('signIn.adminKey')}
          <input type="password" name="key" autoComplete="off" value={key} onInput={(event) => setKey((event.target as HTMLInputElement).value)} required />
        </label>
        <p class="hint">{t('signIn.keyHint')}</p>
        <button type="submit">{t('signIn.submit')}</button>
      </form>
      {oidc && (
        <p>
          <a class="button" href="/console/api/oidc/start">
            {t('signIn.sso')}
          </a>
        </p>
      )}
      <ErrorBox error={error} />
    </main>
  );
}
