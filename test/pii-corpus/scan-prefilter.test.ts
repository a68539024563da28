import { describe, expect, it } from 'vitest';
import { generateCorpus } from './generate-corpus.js';
import { BUILTIN_DETECTORS } from '../../src/policy/detectors/index.js';
import type { Detector } from '../../src/policy/detectors/detector.js';
import { createScanner } from '../../src/policy/scan-text.js';

/** The prefilter must be invisible: same entities as running every detector on the whole text. */
describe('scan prefilter', () => {
  const unfiltered: Detector[] = BUILTIN_DETECTORS.map((detector) => ({ id: detector.id, entity: detector.entity, detect: (text, context) => detector.detect(text, context) }));
  const filtered = createScanner();
  const reference = createScanner({ detectors: unfiltered });

  it('finds exactly what the detectors find on the whole text (generated corpus, both splits)', () => {
    const records = [...generateCorpus('tune', 150), ...generateCorpus('unseen', 150)];
    // Joined documents too, so regions merge and split across many clauses.
    const joined = records.map((record) => record.text).join('\n');
    for (const text of [...records.map((record) => record.text), joined]) {
      expect(filtered.scan(text).entities).toEqual(reference.scan(text).entities);
    }
  });

  it('keeps values that end in clause punctuation whole', () => {
    const text = 'password: Winter445! was leaked。手機0912-345-678！請回電';
    expect(filtered.scan(text).entities).toEqual(reference.scan(text).entities);
    expect(filtered.scan(text).entities.map((entity) => text.slice(entity.start, entity.end))).toContain('Winter445!');
  });
});
