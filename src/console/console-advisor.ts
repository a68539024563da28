/**
 * What the console's advisor page needs from the deployment advisor. The advisor is a tool on the
 * top layer (docs/adr/0002-layering.md), so the console does not import it: main.ts passes in
 * `createConsoleAdvisor()` from src/advisor/console-advisor.ts, which implements this.
 */
export type AdvisorLanguage = 'en' | 'zh-TW';

export interface ConsoleAdvisor {
  /** The questionnaire, criteria and modes the page renders. */
  questions(): Promise<unknown>;
  /**
   * The same report as `switchyard advise --format json|md`. Bad answers throw an
   * `InvalidRequestError` naming the first offending path.
   */
  advise(answers: Record<string, unknown>, language: AdvisorLanguage): Promise<{ report: unknown; markdown: string }>;
}
