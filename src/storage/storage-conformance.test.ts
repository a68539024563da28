import { describe, it } from 'vitest';
import { runStorageConformance } from '../../test/support/storage/storage-conformance.js';
import { postgresAvailability, postgresTarget, sqliteTarget } from '../../test/support/storage/storage-test-targets.js';

runStorageConformance('sqlite', async () => sqliteTarget());

const postgres = await postgresAvailability();
if (postgres.run) {
  runStorageConformance('postgres', postgresTarget);
} else {
  describe.skip(`storage conformance: postgres (unreachable: ${postgres.reason})`, () => {
    it('needs PostgreSQL at 127.0.0.1:5432', () => undefined);
  });
}
