/**
 * The HMAC secret from an environment variable. Too short a secret makes forging a chain a
 * brute-force job, so anything under 16 characters is refused.
 */
export function resolveAuditSecret(variable: string, environment: NodeJS.ProcessEnv = process.env): string {
  const value = environment[variable];
  if (value === undefined || value === '') throw new Error(`the audit secret is not set: export ${variable}=<secret>`);
  if (value.length < 16) throw new Error(`the audit secret in ${variable} is shorter than 16 characters`);
  return value;
}
