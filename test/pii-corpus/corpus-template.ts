import type { Rng } from './corpus-random.js';

/** A labelled span in a generated record (UTF-16 offsets, end exclusive). */
export interface CorpusEntity {
  type: string;
  start: number;
  end: number;
}

export interface CorpusRecord {
  id: string;
  lang: string;
  text: string;
  entities: CorpusEntity[];
}

/** What a slot yields: plain text, or an entity's surface with its type. */
export type Piece = string | { type: string; text: string };
export type Slot = (rng: Rng) => Piece;

export interface Template {
  readonly lang: 'zh-TW' | 'en' | 'mixed';
  render(rng: Rng): { text: string; entities: CorpusEntity[] };
}

/**
 * Tagged template: literal text with `${slot}` holes. `tpl('zh-TW')\`聯絡人${person}，電話${phone}\``.
 * Entity offsets come from where each piece lands, so labels are exact by construction.
 */
export function tpl(lang: Template['lang']) {
  return (strings: TemplateStringsArray, ...slots: Slot[]): Template => ({
    lang,
    render(rng) {
      let text = '';
      const entities: CorpusEntity[] = [];
      strings.forEach((literal, index) => {
        text += literal;
        const slot = slots[index];
        if (slot === undefined) return;
        const piece = slot(rng);
        if (typeof piece === 'string') text += piece;
        else {
          entities.push({ type: piece.type, start: text.length, end: text.length + piece.text.length });
          text += piece.text;
        }
      });
      return { text, entities };
    },
  });
}

/** An entity slot. */
export function entity(type: string, generate: (rng: Rng) => string): Slot {
  return (rng) => ({ type, text: generate(rng) });
}

/** A filler slot choosing among plain alternatives (no entity). */
export function oneOf(...choices: readonly string[]): Slot {
  return (rng) => rng.pick(choices);
}

/** A filler slot from a generator (hard negatives: order numbers, versions, dates). */
export function filler(generate: (rng: Rng) => string): Slot {
  return (rng) => generate(rng);
}

/** Renders `count` records, each one or two templates joined like paragraphs of one document. */
export function renderRecords(prefix: string, templates: readonly Template[], rng: Rng, count: number): CorpusRecord[] {
  const records: CorpusRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const first = rng.pick(templates);
    const parts = [first.render(rng)];
    if (rng.chance(0.3)) parts.push(rng.pick(templates.filter((template) => template.lang === first.lang || template.lang === 'mixed')).render(rng));
    let text = '';
    const entities: CorpusEntity[] = [];
    for (const part of parts) {
      if (text !== '') text += rng.pick(['\n', '\n\n', ' ']);
      for (const found of part.entities) entities.push({ ...found, start: found.start + text.length, end: found.end + text.length });
      text += part.text;
    }
    records.push({ id: `${prefix}-${String(index + 1).padStart(4, '0')}`, lang: first.lang, text, entities });
  }
  return records;
}
