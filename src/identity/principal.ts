/**
 * Who is asking. Every later stage (policy rules, budgets, audit, metrics) reads only this,
 * never the raw credential.
 */
export interface Principal {
  id: string;
  kind: 'key' | 'user';
  team?: string;
  department?: string;
  roles: string[];
  tags: Record<string, string>;
  /** Model aliases this principal may use; undefined means all. */
  allowedModels?: string[];
}
