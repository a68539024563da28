import { InvalidRequestError } from '../errors/gateway-error.js';
import type { ConsoleAdvisor } from '../console/console-advisor.js';

/**
 * The advisor as the web console uses it (GET /console/api/advisor/questions, POST
 * /console/api/advisor). Its modules load on the first call, so they never lengthen the
 * gateway's start; this file itself is small.
 */
export function createConsoleAdvisor(): ConsoleAdvisor {
  return {
    async questions() {
      const [{ BASE_WEIGHTS, CRITERIA, CRITERION_PROFILES }, { MODES, MODE_PROFILES }, { QUESTIONS }] = await Promise.all([
        import('./criteria.js'),
        import('./modes.js'),
        import('./questionnaire.js'),
      ]);
      return {
        questions: QUESTIONS,
        criteria: CRITERIA.map((id) => ({ id, name: CRITERION_PROFILES[id].name, covers: CRITERION_PROFILES[id].covers, default_weight: BASE_WEIGHTS[id] })),
        modes: MODES.map((id) => ({ id, name: MODE_PROFILES[id].name })),
      };
    },
    async advise(answers, language) {
      const [{ adviceToJson, buildAdvice }, { renderMarkdownReport }, { validateAnswers }] = await Promise.all([
        import('./advise.js'),
        import('./report-markdown.js'),
        import('./validate-answers.js'),
      ]);
      const result = validateAnswers(answers);
      if (!result.ok) {
        const first = result.issues[0];
        throw new InvalidRequestError(result.issues.map((issue) => `${issue.path}: ${issue.message[language]}`).join('; '), first?.path ?? null);
      }
      // The same two steps as `switchyard advise --format json|md`: one report, two renderings.
      const advice = buildAdvice(result.file, result.weights);
      return { report: adviceToJson(advice, language), markdown: renderMarkdownReport(advice, language) };
    },
  };
}
