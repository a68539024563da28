import { MAX_SECRET_FILE_BYTES, NotARegularFileError, readBoundedFile } from './read-bounded-file.js';
import { resolve } from 'node:path';
import { SECRET_REFERENCE_PATTERN } from '../model/secret-reference.js';


/**
 * Resolves one reference. Throws a message naming the variable or file (never a value) when
 * it is missing, so startup fails loudly instead of calling an upstream without credentials.
 */
export function resolveSecretReference(
  reference: string,
  environment: NodeJS.ProcessEnv = process.env,
  baseDirectory = process.cwd(),
): string {
  const match = SECRET_REFERENCE_PATTERN.exec(reference);
  if (!match) throw new Error('is not a secret reference');
  const [, kind, name] = match as unknown as [string, 'env' | 'file', string];
  if (kind === 'env') {
    const value = environment[name];
    if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
    return value;
  }
  try {
    // Trailing newlines come from `echo secret > file`; they are never part of a credential.
    // Relative paths are relative to the config file, so a config and its key files travel together.
    // Only a small regular file: /dev/zero, a FIFO or a huge file would hang or exhaust the loader.
    return readBoundedFile(resolve(baseDirectory, name), MAX_SECRET_FILE_BYTES, 'a secret file').replace(/\r?\n$/, '');
  } catch (error) {
    if (error instanceof NotARegularFileError) throw new Error(`secret file ${name} ${error.message}`);
    throw new Error(`secret file ${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
