import type { DetectedSpan, Detector } from './detector.js';
import { forEachMatch } from './text-context.js';
import { defineDetector } from './detector-definition.js';

/**
 * Local part, `@`, dot-separated domain labels ending in an alphabetic TLD. The TLD rule is what
 * rejects `lodash@4.17.21` and other `package@version` strings. Quantifiers are bounded and
 * the match is anchored at the start of a local-part run, so scanning is linear.
 */
const CANDIDATE = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

const USERINFO_BEFORE = /:\/\/[^\s\/@]*:[^\s\/@]*$/;

/** E-mail addresses. */
export const emailDetector: Detector = {
  id: 'email',
  entity: 'EMAIL',
  triggers: '@',
  detect(text) {
    const spans: DetectedSpan[] = [];
    forEachMatch(CANDIDATE, text, (match) => {
      // `scheme://user:password@host` is URL userinfo (a secret), not an e-mail address.
      if (USERINFO_BEFORE.test(text.slice(Math.max(0, match.index - 90), match.index))) return;
      spans.push({ start: match.index, end: match.index + match[0].length, score: 0.97 });
    });
    return spans;
  },
};

/** Built-in definition: email spans imply `confidential` unless `policy.entity_classes` says otherwise. */
export const emailDefinition = defineDetector(emailDetector, 'confidential');
