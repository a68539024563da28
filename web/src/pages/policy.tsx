import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox } from '../components/error-text.js';
import { formatNumber, language, t } from '../i18n/index.js';

interface Explanation {
  entities: Array<{ type: string; start: number; end: number; score: number }>;
  dataClass: string;
  rule: { name: string; reason: string; action: 'allow' | 'deny' };
  allowedTiers: string[];
  maskedText: string | null;
  guard: { verdict: string; action: string; categories: string[]; signals: string[]; scores: Record<string, number> };
}

/** Paste text → what `switchyard policy explain` says about it: entities, class, rule, masked text, guard. */
export function PolicyPage() {
  const [text, setText] = useState('');
  const [result, setResult] = useState<Explanation>();
  const [error, setError] = useState<unknown>();
  const explain = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      setResult(await api<Explanation>('/policy/explain', { method: 'POST', body: { text, lang: language.value } }));
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <div>
      <h1>{t('policy.title')}</h1>
      <p class="hint">{t('policy.hint')}</p>
      <form onSubmit={explain}>
        <label>
          {t('policy.text')}
          <textarea name="text" rows={6} value={text} onInput={(event) => setText((event.target as HTMLTextAreaElement).value)} required />
        </label>
        <button type="submit">{t('policy.explain')}</button>
      </form>
      <ErrorBox error={error} />
      {result && (
        <section class="detail" data-testid="policy-result" aria-labelledby="policy-result">
          <h2 id="policy-result">{t('policy.result')}</h2>
          <dl>
            <dt>{t('policy.dataClass')}</dt>
            <dd data-field="data-class">{result.dataClass}</dd>
            <dt>{t('policy.rule')}</dt>
            <dd data-field="rule">{`${result.rule.name} (${t(result.rule.action === 'allow' ? 'policy.allow' : 'policy.deny')}) — ${result.rule.reason}`}</dd>
            <dt>{t('policy.tiers')}</dt>
            <dd>{result.allowedTiers.join(', ') || '—'}</dd>
            <dt>{t('policy.masked')}</dt>
            <dd>
              <pre data-field="masked-text">{result.maskedText ?? t('policy.nothingLeaves')}</pre>
            </dd>
            <dt>{t('policy.guard')}</dt>
            <dd data-field="guard">{`${result.guard.verdict} · ${result.guard.categories.join(', ') || t('policy.noSignals')}${result.guard.signals.length ? ` · ${result.guard.signals.join(', ')}` : ''}`}</dd>
          </dl>
          <table>
            <caption>{t('policy.entities')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('policy.entityType')}</th>
                <th scope="col">{t('policy.position')}</th>
                <th scope="col">{t('policy.score')}</th>
              </tr>
            </thead>
            <tbody>
              {result.entities.map((entity, index) => (
                <tr key={index} data-entity={entity.type}>
                  <td>{entity.type}</td>
                  <td>{`${entity.start}–${entity.end}`}</td>
                  <td>{formatNumber(entity.score, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
