import { z } from 'zod';

/**
 * `${env:NAME}` or `${file:/path}`: how every secret in the config is written, so credentials
 * never sit in YAML. Group 1 is the kind, group 2 the variable name or path.
 */
export const SECRET_REFERENCE_PATTERN = /^\$\{(env|file):([^}]+)\}$/;

/** True when `value` is a `${env:NAME}` / `${file:/path}` reference. */
export function isSecretReference(value: string): boolean {
  return SECRET_REFERENCE_PATTERN.test(value);
}

/** A config value that must be a secret reference, never the secret itself. */
export const secretReferenceSchema = z
  .string()
  .regex(SECRET_REFERENCE_PATTERN, 'must be a secret reference: ${env:NAME} or ${file:/path}');
