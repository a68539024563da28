import { describe, expect, it } from 'vitest';
import { defaultDataClass } from './default-data-class.js';

describe('defaultDataClass', () => {
  it('is the lowest class when nothing was detected', () => {
    expect(defaultDataClass([])).toBe('public');
  });

  it('takes the highest class any entity maps to', () => {
    expect(defaultDataClass(['AMOUNT'])).toBe('internal');
    expect(defaultDataClass(['AMOUNT', 'PERSON'])).toBe('confidential');
    expect(defaultDataClass(['PERSON', 'TW_NATIONAL_ID', 'EMAIL'])).toBe('restricted');
    expect(defaultDataClass(['SECRET'])).toBe('restricted');
  });

  it('maps unknown (custom) entity types to the configurable unknown class', () => {
    expect(defaultDataClass(['CUSTOMER'])).toBe('confidential');
    expect(defaultDataClass(['CUSTOMER'], { unknownEntityClass: 'restricted' })).toBe('restricted');
  });

  it('accepts custom class names and mappings, and rejects a mapping to an unknown class', () => {
    const options = { classes: ['open', 'private', 'secret'], mapping: { PERSON: 'private', SECRET: 'secret', AMOUNT: 'open' }, unknownEntityClass: 'private' };
    expect(defaultDataClass(['AMOUNT'], options)).toBe('open');
    expect(defaultDataClass(['PERSON', 'AMOUNT'], options)).toBe('private');
    expect(() => defaultDataClass(['EMAIL'], options)).toThrow(/"confidential" \(for EMAIL\) is not one of open, private, secret/);
  });
});
