// `node --import ./record-imports.mjs …`: writes every module specifier the process resolves
// (ESM imports, one per line) to $RECORD_IMPORTS_FILE. Used to check what `serve` loads.
import { register } from 'node:module';

register(new URL('./record-imports-hooks.mjs', import.meta.url), { data: { file: process.env.RECORD_IMPORTS_FILE } });
