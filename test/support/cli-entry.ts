import { fileURLToPath } from 'node:url';

/** Path of the single test CLI runner (cli.ts); spawn it as `node --import tsx CLI_ENTRY <command> …`. */
export const CLI_ENTRY = fileURLToPath(new URL('./cli.ts', import.meta.url));
/** The same as a URL, for `runTsChild`. */
export const CLI_URL = new URL('./cli.ts', import.meta.url);
