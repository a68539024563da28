import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** A secret is a key or a password: 64 KiB is generous, and bounds what a wrong path can cost. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** The path is not a small regular file; the message says what it is instead. */
export class NotARegularFileError extends Error {}

/**
 * Reads a file the config names, refusing anything but a regular file of at most `maxBytes`:
 * `${file:/dev/zero}` would never end, a FIFO would block the loader until someone writes, and a
 * multi-gigabyte file would exhaust memory. The file is opened non-blocking and checked on the
 * open descriptor, so there is no window between the check and the read.
 */
export function readBoundedFile(path: string, maxBytes: number, what: string): string {
  const descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(descriptor);
    if (!stat.isFile()) {
      const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a pipe (FIFO)' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'a special file';
      throw new NotARegularFileError(`is ${kind}, not a regular file; point at ${what} holding the value`);
    }
    if (stat.size > maxBytes) throw new NotARegularFileError(`is ${stat.size} bytes; ${what} may be at most ${maxBytes} bytes`);
    // Read at most maxBytes + 1 whatever stat said: /proc-like files report size 0 and may not end.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const read = readSync(descriptor, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) throw new NotARegularFileError(`is larger than ${maxBytes} bytes; ${what} may be at most ${maxBytes} bytes`);
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(descriptor);
  }
}
