import { isAbsolute, resolve } from 'node:path';

/** Which database a `storage.url` names. */
export type StorageLocation =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string };

export const DEFAULT_STORAGE_URL = 'sqlite:./data/switchyard.db';

/**
 * `sqlite:./data/switchyard.db`, `sqlite:/abs/path.db`, `sqlite::memory:` or `postgres://…`
 * (`postgresql://` too). Anything else is an error naming the accepted forms.
 */
export function parseStorageUrl(url: string): StorageLocation {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { kind: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    // `sqlite://path` is a common slip; accept it as the same path rather than a host.
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=[./])/, '');
    if (path === '') throw new Error(`storage url '${url}' has no file path`);
    return { kind: 'sqlite', path };
  }
  throw new Error(`storage url '${url}' is not supported; use sqlite:<path> or postgres://…`);
}

/**
 * `sqlite:<relative path>` made absolute against `baseDirectory` (the config file's folder, or the
 * working directory for a `--storage` flag); other URLs are returned unchanged.
 */
export function resolveStorageUrl(url: string, baseDirectory: string): string {
  const location = parseStorageUrl(url);
  if (location.kind !== 'sqlite' || location.path === ':memory:' || isAbsolute(location.path)) return url;
  return `sqlite:${resolve(baseDirectory, location.path)}`;
}
