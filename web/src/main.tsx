import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, type SessionInfo } from './api.js';
import { language, LANGUAGES, setLanguage, t, type MessageKey } from './i18n/index.js';
import { AdvisorPage } from './pages/advisor.js';
import { AuditPage } from './pages/audit.js';
import { BudgetsPage } from './pages/budgets.js';
import { DashboardsPage } from './pages/dashboards.js';
import { KeysPage } from './pages/keys.js';
import { PolicyPage } from './pages/policy.js';
import { ReleasesPage } from './pages/releases.js';
import { ReportsPage } from './pages/reports.js';
import { SignInPage } from './pages/sign-in.js';
import './style.css';

/** Pages, the hash each lives at, and the admin scope it needs (the API enforces it too). */
const PAGES: Array<{ id: string; title: MessageKey; scope?: string; component: () => preact.JSX.Element }> = [
  { id: 'dashboards', title: 'nav.dashboards', scope: 'audit:read', component: DashboardsPage },
  { id: 'audit', title: 'nav.audit', scope: 'audit:read', component: AuditPage },
  { id: 'policy', title: 'nav.policy', scope: 'policy:test', component: PolicyPage },
  { id: 'keys', title: 'nav.keys', scope: 'keys:read', component: KeysPage },
  { id: 'budgets', title: 'nav.budgets', scope: 'spend:read', component: BudgetsPage },
  { id: 'releases', title: 'nav.releases', scope: 'releases:read', component: ReleasesPage },
  { id: 'reports', title: 'nav.reports', scope: 'releases:read', component: ReportsPage },
  { id: 'advisor', title: 'nav.advisor', component: AdvisorPage },
];

const currentHash = () => location.hash.replace(/^#\/?/, '') || 'dashboards';

function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [page, setPage] = useState(currentHash());
  useEffect(() => {
    document.documentElement.lang = language.value;
    const onHash = () => setPage(currentHash());
    addEventListener('hashchange', onHash);
    api<{ signed_in: boolean }>('/info')
      .then((info) => (info.signed_in ? api<SessionInfo>('/session') : Promise.reject(new Error('signed out'))))
      .then(
      (info) => {
        setCsrfToken(info.csrf_token);
        setSession(info);
      },
      () => setSession(null),
    );
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const signOut = async () => {
    await api('/session', { method: 'DELETE' }).catch(() => undefined);
    setSession(null);
  };

  const languageSwitch = (
    <label class="language">
      <span>{t('app.language')}</span>
      <select value={language.value} onChange={(event) => setLanguage((event.target as HTMLSelectElement).value as (typeof LANGUAGES)[number])}>
        <option value="en">English</option>
        <option value="zh-TW">繁體中文</option>
      </select>
    </label>
  );

  if (session === undefined) return <main class="loading">{t('app.loading')}</main>;
  if (session === null) {
    return (
      <>
        <header class="top">
          <span class="brand">{t('app.title')}</span>
          {languageSwitch}
        </header>
        <SignInPage
          onSignedIn={(info) => {
            setCsrfToken(info.csrf_token);
            setSession(info);
          }}
        />
      </>
    );
  }
  const visible = PAGES.filter((entry) => entry.scope === undefined || session.scopes.includes(entry.scope));
  const active = visible.find((entry) => entry.id === page) ?? visible[0];
  const Page = active?.component;
  return (
    <>
      <header class="top">
        <span class="brand">{t('app.title')}</span>
        <nav aria-label={t('app.navigation')}>
          {visible.map((entry) => (
            <a href={`#/${entry.id}`} aria-current={entry === active ? 'page' : undefined} key={entry.id}>
              {t(entry.title)}
            </a>
          ))}
        </nav>
        {languageSwitch}
        <span class="who" data-testid="principal">
          {t('app.signedInAs', { id: session.principal.id })}
        </span>
        <button type="button" onClick={signOut}>
          {t('app.signOut')}
        </button>
      </header>
      <main>{Page ? <Page key={`${active?.id}-${language.value}`} /> : <p>{t('app.noScopes')}</p>}</main>
    </>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
