import type { DetectedSpan, Detector } from './detector.js';
import { sortAndDropOverlaps } from './text-context.js';
import { defineDetector } from './detector-definition.js';

/**
 * Token formats with a recognisable prefix. Each is anchored at a token start and has bounded
 * repetition. The value must still look random (see `looksLikePlaceholder`).
 */
const TOKEN = new RegExp(
  [
    String.raw`(?<![A-Za-z0-9_-])sk-(?:proj-|live-|test-|admin-|svcacct-|ant-(?:api\d{2}-)?)?[A-Za-z0-9_-]{20,256}`,
    String.raw`(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}`,
    String.raw`(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}`,
    String.raw`(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}`,
    String.raw`(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,64}`,
    String.raw`(?<![A-Za-z0-9_])xox[abposr]-[A-Za-z0-9-]{10,200}`,
    String.raw`(?<![A-Za-z0-9_])AIza[0-9A-Za-z_-]{35}`,
    String.raw`(?<![A-Za-z0-9_])[spr]k_(?:live|test)_[A-Za-z0-9]{16,128}`,
    String.raw`(?<![A-Za-z0-9_])whsec_[A-Za-z0-9]{24,64}`,
    // npm, Hugging Face, Shopify, DigitalOcean, Databricks, SendGrid, Google OAuth, Twilio.
    String.raw`(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}`,
    String.raw`(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,40}`,
    String.raw`(?<![A-Za-z0-9_])shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}`,
    String.raw`(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}`,
    String.raw`(?<![A-Za-z0-9_])dapi[a-f0-9]{32}`,
    String.raw`(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}`,
    String.raw`(?<![A-Za-z0-9_])ya29\.[A-Za-z0-9_-]{20,512}`,
    String.raw`(?<![A-Za-z0-9_])GOCSPX-[A-Za-z0-9_-]{28}`,
    String.raw`(?<![A-Za-z0-9_])SK[a-f0-9]{32}`,
    // Azure storage account keys: 64 random bytes in base64 (88 characters ending in ==).
    String.raw`(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])`,
    // JSON Web Token: header and payload are base64url JSON objects, so both start with eyJ.
    String.raw`(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,2048}\.eyJ[A-Za-z0-9_-]{5,8192}\.[A-Za-z0-9_-]{10,2048}`,
    String.raw`-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----[\s\S]{1,8192}?-----END (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----`,
  ].join('|') + String.raw`(?![A-Za-z0-9_-])`,
  'g',
);

/** `Authorization: Bearer <token>` — only the token is the secret. */
const BEARER = /(?<![A-Za-z])Bearer\s+([A-Za-z0-9._~+/-]{16,4096}=*)/gi;

/** `password: value`, `密碼：value`, `PASSWORD=value` — only the value is the secret. */
const PASSWORD = /(?:password|passwd|passcode|pwd|pass|密碼|口令|パスワード)\s*(?:[:=：]|為|是|(is|was|改成|改為|設為|設成|變更為|更新為|重設為|換成)\s*[:=：]?)\s*(["'「『]?)/gi;

/** `scheme://user:password@host` — the password in URL userinfo is the secret. */
const URL_USERINFO = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:@\/?#]{1,64}:([^\s@\/?#]{1,128})@[A-Za-z0-9[]/g;

/** `SOMETHING_TOKEN=value`, `api_key: "value"` — generic credential assignments. */
const ASSIGNMENT = /(?<![A-Za-z0-9_])[A-Za-z0-9_]{0,40}(?:token|secret|api_?key|apikey|access_?key|private_?key|client_?secret|auth|account_?key|shared_?access_?key|sas_?token)\s*[:=]\s*(["']?)([A-Za-z0-9_\-./+=]{16,512})/gi;

const QUOTE_PAIRS: Readonly<Record<string, string>> = { '"': '"', "'": "'", '「': '」', '『': '』' };

/** `sk-xxxx…`, `YOUR_API_KEY`, `********`, `<token>`, `${TOKEN}` are examples, not secrets. */
export function looksLikePlaceholder(value: string): boolean {
  if (FILLER.test(value)) return true;
  // A masking placeholder such as [SECRET_1] left by the gateway itself.
  if (GATEWAY_PLACEHOLDER.test(value)) return true;
  if (PLACEHOLDER_WORDS.test(value)) return true;
  return fewerDistinctThan(value, 4);
}

const FILLER = /^[*xX.•#_\-=0]+$/;
const GATEWAY_PLACEHOLDER = /^\[[A-Z][A-Z0-9_]*\]?$/;
const PLACEHOLDER_WORDS = /x{4,}|X{4,}|\*{3,}|your[_-]?|example|placeholder|changeme|dummy|redacted|<|>|\{\{|\$\{|\.\.\./i;
/** Known token prefixes, stripped before the randomness check. */
const TOKEN_PREFIX = /^(?:sk-(?:proj-|live-|test-|admin-|svcacct-|ant-)?|gh[pousr]_|github_pat_|glpat-|xox[a-z]-|[spr]k_(?:live|test)_)/;
const LOWER_WORD = /^[a-z]+$/;
/**
 * A necessary condition of TOKEN (except PEM blocks), BEARER and ASSIGNMENT: each match holds at
 * least 15 consecutive characters of this class (the shortest, `xox?-` + 10, has 15).
 */
const LONG_RUN = /[A-Za-z0-9_\-+/.=~]{15}/;
/** LONG_RUN's class, per ASCII code unit. */
const RUN_CHARACTER = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) RUN_CHARACTER[code] = /[A-Za-z0-9_\-+/.=~]/.test(String.fromCharCode(code)) ? 1 : 0;

/**
 * `LONG_RUN.test(text)` in one linear pass: the regex restarts its 15-character attempt at every
 * position of every shorter run, which on prose made it this detector's largest cost.
 */
export function hasLongRun(text: string): boolean {
  let run = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 128 && RUN_CHARACTER[code] === 1) {
      run += 1;
      if (run >= 15) return true;
    } else run = 0;
  }
  return false;
}

/**
 * Per-ASCII-character tallies reused between calls (detection is synchronous): tokens and
 * values are ASCII, and a Set or Map per candidate was most of what this detector allocated.
 * `seen[code] === stamp` marks a character met in the current call.
 */
const seen = new Uint32Array(128);
const tally = new Int32Array(128);
const firstSeen = new Int32Array(128);
let stamp = 0;

function nextStamp(): void {
  stamp = (stamp + 1) >>> 0;
  if (stamp === 0) {
    seen.fill(0);
    stamp = 1;
  }
}

function isAscii(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) if (value.charCodeAt(index) >= 0x80) return false;
  return true;
}

/** `new Set(value).size < limit` (code points), without the Set for ASCII values. */
function fewerDistinctThan(value: string, limit: number): boolean {
  if (!isAscii(value)) return new Set(value).size < limit;
  nextStamp();
  let distinct = 0;
  for (let index = 0; index < value.length && distinct < limit; index += 1) {
    const code = value.charCodeAt(index);
    if (seen[code] === stamp) continue;
    seen[code] = stamp;
    distinct += 1;
  }
  return distinct < limit;
}

/**
 * Shannon entropy in bits per character. Characters are summed in order of first appearance
 * (as a Map iterates), so the ASCII fast path returns the very same floating-point value.
 */
function entropy(value: string): number {
  if (isAscii(value)) {
    nextStamp();
    let distinct = 0;
    for (let index = 0; index < value.length; index += 1) {
      const code = value.charCodeAt(index);
      if (seen[code] !== stamp) {
        seen[code] = stamp;
        tally[code] = 0;
        firstSeen[distinct] = code;
        distinct += 1;
      }
      tally[code] = (tally[code] ?? 0) + 1;
    }
    let bits = 0;
    for (let at = 0; at < distinct; at += 1) {
      const probability = (tally[firstSeen[at] ?? 0] ?? 0) / value.length;
      bits -= probability * Math.log2(probability);
    }
    return bits;
  }
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const probability = count / value.length;
    bits -= probability * Math.log2(probability);
  }
  return bits;
}

/** Sentence punctuation after an unquoted value; `!`, `#`, `$`, `*` stay (common in passwords). */
const TRAILING_PUNCTUATION = /[.,;:?)\]}>]+$/;

/** Reads a password value starting at `index`: printable ASCII up to whitespace or the closing quote. */
function readValue(text: string, index: number, quote: string): { start: number; end: number } | undefined {
  const close = QUOTE_PAIRS[quote];
  let end = index;
  while (end < text.length && end - index < 128) {
    const code = text.charCodeAt(end);
    if (close !== undefined ? text[end] === close : code <= 0x20 || code > 0x7e) break;
    end += 1;
  }
  if (close === undefined) {
    const trimmed = text.slice(index, end).replace(TRAILING_PUNCTUATION, '');
    end = index + trimmed.length;
  }
  return end - index >= 4 ? { start: index, end } : undefined;
}

/**
 * Prefilter: token formats contain a digit, `_` or `-` (a 36-character random token without any
 * is a 1-in-10,000 event), except AWS key ids (AKIA…, base32: 1 in 28 has no digit), hence `A`; assignments and passwords given with `:`/`=` have those; URL userinfo
 * has `:` and `@`; Chinese password phrases contain 密碼 or 口令. Not covered: an English
 * `password is Hunter` whose value has no digit or symbol and whose clause has none either.
 */
const SECRET_TRIGGERS = '0123456789_-:=@+/A密令パ';

/** API keys, tokens, private keys and password values. */
export const secretDetector: Detector = {
  id: 'secret',
  entity: 'SECRET',
  triggers: SECRET_TRIGGERS,
  detect(text) {
    const spans: DetectedSpan[] = [];
    // Loops rather than forEachMatch: no closures per call (detect runs once per region). No
    // pattern here can match the empty string.
    // Every token format, bearer token and assigned value holds a run of 15+ token characters
    // (a PEM block is found by its BEGIN line): a region without one skips those patterns.
    const longRun = hasLongRun(text);
    TOKEN.lastIndex = longRun || text.includes('-----BEGIN') ? 0 : text.length;
    for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) {
      const value = match[0];
      const body = value.replace(TOKEN_PREFIX, '');
      if (!value.startsWith('-----') && (looksLikePlaceholder(body) || entropy(body) < 3)) continue;
      spans.push({ start: match.index, end: match.index + value.length, score: 0.97 });
    }
    TOKEN.lastIndex = 0;
    BEARER.lastIndex = longRun ? 0 : text.length;
    for (let match = BEARER.exec(text); match !== null; match = BEARER.exec(text)) {
      const token = match[1] ?? '';
      if (looksLikePlaceholder(token) || entropy(token) < 3) continue;
      const start = match.index + match[0].length - token.length;
      spans.push({ start, end: start + token.length, score: 0.95 });
    }
    BEARER.lastIndex = 0;
    PASSWORD.lastIndex = 0;
    for (let match = PASSWORD.exec(text); match !== null; match = PASSWORD.exec(text)) {
      const value = readValue(text, match.index + match[0].length, match[2] ?? '');
      if (value === undefined) continue;
      const surface = text.slice(value.start, value.end);
      if (looksLikePlaceholder(surface)) continue;
      // `password is required`: after a verb, a plain lower-case word is prose, not a password.
      if (match[1] !== undefined && LOWER_WORD.test(surface)) continue;
      spans.push({ ...value, score: 0.9 });
    }
    PASSWORD.lastIndex = 0;
    // Userinfo needs `://`, an assignment `:` or `=`: regions without them skip those patterns.
    URL_USERINFO.lastIndex = text.includes('://') ? 0 : text.length;
    for (let match = URL_USERINFO.exec(text); match !== null; match = URL_USERINFO.exec(text)) {
      const value = match[1] ?? '';
      if (value.length < 3 || looksLikePlaceholder(value) || value.startsWith('$')) continue;
      const start = match.index + match[0].length - 2 - value.length;
      spans.push({ start, end: start + value.length, score: 0.93 });
    }
    URL_USERINFO.lastIndex = 0;
    ASSIGNMENT.lastIndex = longRun && (text.includes(':') || text.includes('=')) ? 0 : text.length;
    for (let match = ASSIGNMENT.exec(text); match !== null; match = ASSIGNMENT.exec(text)) {
      const value = match[2] ?? '';
      if (looksLikePlaceholder(value) || entropy(value) < 3.5) continue;
      const start = match.index + match[0].length - value.length;
      spans.push({ start, end: start + value.length, score: 0.85 });
    }
    ASSIGNMENT.lastIndex = 0;
    return spans.length === 0 ? spans : sortAndDropOverlaps(spans);
  },
};

/** Built-in definition: secret spans imply `restricted` unless `policy.entity_classes` says otherwise. */
export const secretDefinition = defineDetector(secretDetector, 'restricted');
