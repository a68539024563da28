import { InvalidRequestError } from '../errors/gateway-error.js';
import type { Principal } from '../model/principal.js';

export const TAGS_HEADER = 'x-switchyard-tags';

export interface TagLimits {
  maxCount: number;
  maxKeyLength: number;
  maxValueLength: number;
}

export const DEFAULT_TAG_LIMITS: TagLimits = { maxCount: 8, maxKeyLength: 32, maxValueLength: 64 };

const KEY = /^[a-z][a-z0-9_.-]*$/;
const VALUE = /^[A-Za-z0-9 _.:/@+-]+$/;

/**
 * Parses `x-switchyard-tags: application=chatbot, feature=summarise`. Bounded in count and
 * length because tags become report groups (and database rows); anything malformed is a 400
 * naming the header, never silently dropped.
 */
export function parseTagsHeader(header: string | string[] | undefined, limits: TagLimits = DEFAULT_TAG_LIMITS): Record<string, string> {
  if (header === undefined) return {};
  const text = Array.isArray(header) ? header.join(',') : header;
  const tags: Record<string, string> = {};
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const separator = item.indexOf('=');
    const key = (separator < 0 ? item : item.slice(0, separator)).trim().toLowerCase();
    const value = separator < 0 ? '' : item.slice(separator + 1).trim();
    if (!KEY.test(key) || key.length > limits.maxKeyLength) {
      throw new InvalidRequestError(`${TAGS_HEADER}: tag key '${key.slice(0, 40)}' must match [a-z][a-z0-9_.-]* and be at most ${limits.maxKeyLength} characters.`, TAGS_HEADER);
    }
    if (!VALUE.test(value) || value.length > limits.maxValueLength) {
      throw new InvalidRequestError(`${TAGS_HEADER}: the value of '${key}' must be 1–${limits.maxValueLength} characters of letters, digits, space or _ . : / @ + -.`, TAGS_HEADER);
    }
    if (key in tags) throw new InvalidRequestError(`${TAGS_HEADER}: tag '${key}' is given twice.`, TAGS_HEADER);
    tags[key] = value;
  }
  if (Object.keys(tags).length > limits.maxCount) {
    throw new InvalidRequestError(`${TAGS_HEADER}: at most ${limits.maxCount} tags are allowed.`, TAGS_HEADER);
  }
  return tags;
}

/**
 * Who pays: the key's department, team and tags, plus what the header adds. The header may
 * add tags but never change one the key sets, and never department or team: otherwise any
 * caller could book its spend to another department's budget.
 */
export function attributionTags(principal: Pick<Principal, 'department' | 'team' | 'tags'>, headerTags: Record<string, string>): Record<string, string> {
  const fromKey: Record<string, string> = { ...principal.tags };
  if (principal.department) fromKey.department = principal.department;
  if (principal.team) fromKey.team = principal.team;
  for (const [key, value] of Object.entries(headerTags)) {
    if (key === 'department' || key === 'team') {
      throw new InvalidRequestError(`${TAGS_HEADER}: '${key}' comes from the API key and cannot be set per request.`, TAGS_HEADER);
    }
    if (fromKey[key] !== undefined && fromKey[key] !== value) {
      throw new InvalidRequestError(`${TAGS_HEADER}: '${key}' is fixed to '${fromKey[key]}' by the API key.`, TAGS_HEADER);
    }
  }
  return { ...headerTags, ...fromKey };
}
