import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox } from '../components/error-text.js';
import { formatNumber, language, t } from '../i18n/index.js';

type Localized = { en: string; 'zh-TW': string };
interface Questions {
  questions: Array<{ key: string; text: Localized; options: Array<{ value: string | boolean; label: Localized }> }>;
  criteria: Array<{ id: string; name: Localized; covers: Localized; default_weight: number }>;
  modes: Array<{ id: string; name: Localized }>;
}
interface Report {
  recommendation: { mode: string; runner_up: string | null; why: string[] };
  modes: Array<{ mode: string; total: number; vetoed: boolean; veto_reasons: string[] }>;
  cost: Record<string, { monthly_total: number }>;
}

/**
 * `switchyard advise` as a wizard: the answers one question at a time, then the weights and any
 * score overrides; the server builds the report with the CLI's own code (same JSON).
 */
export function AdvisorPage() {
  const [questions, setQuestions] = useState<Questions>();
  const [step, setStep] = useState(0);
  const [answers, setAnswers] = useState<Record<string, string | boolean>>({});
  const [weights, setWeights] = useState<Record<string, number>>();
  const [scores, setScores] = useState<Record<string, Record<string, number>>>({});
  const [result, setResult] = useState<{ report: Report; markdown: string }>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    api<Questions>('/advisor/questions').then(setQuestions, setError);
  }, []);
  if (!questions) return <ErrorBox error={error} />;

  const text = (value: Localized) => value[language.value];
  const count = questions.questions.length;
  const weightSum = questions.criteria.reduce((sum, criterion) => sum + (weights?.[criterion.id] ?? criterion.default_weight), 0);
  const submit = async () => {
    setError(undefined);
    try {
      const body = { answers, ...(weights ? { weights } : {}), ...(Object.keys(scores).length > 0 ? { scores } : {}), lang: language.value };
      setResult(await api('/advisor', { method: 'POST', body }));
      setStep(count + 2);
    } catch (caught) {
      setError(caught);
    }
  };

  const question = questions.questions[step];
  return (
    <div>
      <h1>{t('advisor.title')}</h1>
      <p class="hint">{t('advisor.step', { step: Math.min(step + 1, count + 2), total: count + 2 })}</p>
      {question && (
        <fieldset data-question={question.key}>
          <legend>{text(question.text)}</legend>
          {question.options.map((option) => (
            <label class="choice" key={String(option.value)}>
              <input type="radio" name={question.key} checked={answers[question.key] === option.value} onChange={() => setAnswers({ ...answers, [question.key]: option.value })} />
              {text(option.label)}
            </label>
          ))}
        </fieldset>
      )}
      {step === count && (
        <fieldset data-step="weights">
          <legend>{t('advisor.weights')}</legend>
          <p class="hint">{t('advisor.weightsHint', { sum: formatNumber(weightSum, 2) })}</p>
          {questions.criteria.map((criterion) => (
            <label key={criterion.id} title={text(criterion.covers)}>
              {text(criterion.name)}
              <input
                type="number"
                name={`weight-${criterion.id}`}
                min={0}
                max={100}
                value={weights?.[criterion.id] ?? criterion.default_weight}
                onInput={(event) => {
                  const base = weights ?? Object.fromEntries(questions.criteria.map((entry) => [entry.id, entry.default_weight]));
                  setWeights({ ...base, [criterion.id]: Number((event.target as HTMLInputElement).value) });
                }}
              />
            </label>
          ))}
        </fieldset>
      )}
      {step === count + 1 && (
        <fieldset data-step="scores">
          <legend>{t('advisor.scores')}</legend>
          <p class="hint">{t('advisor.scoresHint')}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('advisor.mode')}</th>
                {questions.criteria.map((criterion) => (
                  <th scope="col" key={criterion.id}>
                    {text(criterion.name)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {questions.modes.map((mode) => (
                <tr key={mode.id}>
                  <th scope="row">{text(mode.name)}</th>
                  {questions.criteria.map((criterion) => (
                    <td key={criterion.id}>
                      <input
                        type="number"
                        min={1}
                        max={5}
                        name={`score-${mode.id}-${criterion.id}`}
                        aria-label={`${text(mode.name)} · ${text(criterion.name)}`}
                        value={scores[mode.id]?.[criterion.id] ?? ''}
                        onInput={(event) => {
                          const value = (event.target as HTMLInputElement).value;
                          const row = { ...(scores[mode.id] ?? {}) };
                          if (value === '') delete row[criterion.id];
                          else row[criterion.id] = Number(value);
                          const next = { ...scores, [mode.id]: row };
                          if (Object.keys(row).length === 0) delete next[mode.id];
                          setScores(next);
                        }}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
      )}
      <div class="wizard-buttons">
        {step > 0 && step <= count + 1 && (
          <button type="button" onClick={() => setStep(step - 1)}>
            {t('advisor.back')}
          </button>
        )}
        {step < count + 1 && (
          <button type="button" disabled={step < count && answers[question?.key ?? ''] === undefined} onClick={() => setStep(step + 1)}>
            {t('advisor.next')}
          </button>
        )}
        {step === count + 1 && (
          <button type="button" onClick={() => void submit()}>
            {t('advisor.getReport')}
          </button>
        )}
        {step === count + 2 && (
          <button type="button" onClick={() => setStep(0)}>
            {t('advisor.again')}
          </button>
        )}
      </div>
      <ErrorBox error={error} />
      {result && step === count + 2 && (
        <section class="detail" data-testid="advice" aria-labelledby="advice-title">
          <h2 id="advice-title">{t('advisor.recommended', { mode: text(questions.modes.find((mode) => mode.id === result.report.recommendation.mode)?.name ?? { en: result.report.recommendation.mode, 'zh-TW': result.report.recommendation.mode }) })}</h2>
          <ul>
            {result.report.recommendation.why.map((reason, index) => (
              <li key={index}>{reason}</li>
            ))}
          </ul>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('advisor.mode')}</th>
                <th scope="col">{t('advisor.total')}</th>
                <th scope="col">{t('advisor.monthlyCost')}</th>
                <th scope="col">{t('advisor.vetoed')}</th>
              </tr>
            </thead>
            <tbody>
              {result.report.modes.map((mode) => (
                <tr key={mode.mode} data-mode={mode.mode}>
                  <td>{text(questions.modes.find((entry) => entry.id === mode.mode)?.name ?? { en: mode.mode, 'zh-TW': mode.mode })}</td>
                  <td>{formatNumber(mode.total, 2)}</td>
                  <td>{`$${formatNumber(result.report.cost[mode.mode]?.monthly_total ?? 0, 0)}`}</td>
                  <td>{mode.vetoed ? mode.veto_reasons.join('; ') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <a class="button" download={`advice.${language.value}.md`} href={`data:text/markdown;charset=utf-8,${encodeURIComponent(result.markdown)}`}>
            {t('advisor.download')}
          </a>
        </section>
      )}
    </div>
  );
}
