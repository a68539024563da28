import type { Detector } from './detectors/detector.js';

/**
 * The scanner's prefilter: one pass over the normalised text splits it into clauses (at the
 * same breaks the detectors' context windows stop at) and records, per clause, which detectors
 * have a trigger character in it. A detector then runs only on the runs of clauses that can hold
 * one of its spans; prose without digits, `@` or currency words costs one table look-up per
 * code unit for all number-shaped detectors together.
 */

/**
 * Where the prefilter cuts: line breaks and 。 only. The detectors' context windows also stop at
 * `; ! ? |` (`isClauseBreak` in text-context.ts), but a value may end in one of those
 * (`password: Winter445!`), and cutting less often than the windows stop is always safe: a
 * detector then just sees a longer stretch of text.
 */
const BREAK_CHARACTERS = ['。', '\n'];
/** Bit 31 of a table entry marks a break, so the pass needs one look-up per code unit. */
const BREAK_BIT = 0x80000000;

/** At most this many detectors get a prefilter bit; any further ones run on the whole text. */
const MAX_FILTERED = 31;

/** Texts up to this many code units keep the prefilter's copy buffer between scans. */
const SCRATCH_LIMIT = 65_536;

export interface Prefilter {
  /** Code unit → bitmask of the detectors it triggers. */
  readonly masks: Uint32Array;
  /** Bit of each detector (0 when it always runs on the whole text). */
  readonly bits: readonly number[];
  /** Whether any detector is filtered at all. */
  readonly active: boolean;
}

export function compilePrefilter(detectors: readonly Detector[]): Prefilter {
  const masks = new Uint32Array(0x10000);
  const bits: number[] = [];
  let next = 0;
  for (const detector of detectors) {
    if (detector.triggers === undefined || detector.triggers.length === 0 || next >= MAX_FILTERED) {
      bits.push(0);
      continue;
    }
    const bit = 1 << next;
    next += 1;
    bits.push(bit);
    for (let index = 0; index < detector.triggers.length; index += 1) {
      const code = detector.triggers.charCodeAt(index);
      masks[code] = (masks[code] ?? 0) | bit;
    }
  }
  for (const character of BREAK_CHARACTERS) {
    const code = character.charCodeAt(0);
    masks[code] = ((masks[code] ?? 0) | BREAK_BIT) >>> 0;
  }
  return { masks, bits, active: next > 0 };
}

/** Clause boundaries and trigger masks of one text; arrays are reused between scans. */
export class ClauseIndex {
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  masks = new Uint32Array(256);
  count = 0;
  /** Union of all clause masks: a detector whose bit is absent has nothing to do. */
  any = 0;

  /** The text's code units, copied natively once per build: typed-array reads beat `charCodeAt`. */
  private units = Buffer.allocUnsafeSlow(2 * 8_192);
  private view = new Uint16Array(this.units.buffer, this.units.byteOffset, 8_192);

  build(text: string, prefilter: Prefilter): void {
    const table = prefilter.masks;
    this.count = 0;
    this.any = 0;
    const length = text.length;
    if (this.view.length < length) {
      // Prompt-sized buffers are kept; a larger text gets its own, dropped after the build.
      const units = Buffer.allocUnsafeSlow(2 * Math.max(length, 2 * this.view.length));
      const view = new Uint16Array(units.buffer, units.byteOffset, units.length >> 1);
      if (length <= SCRATCH_LIMIT) {
        this.units = units;
        this.view = view;
      }
      units.write(text, 0, 'utf16le');
      this.scanUnits(view, length, table);
      return;
    }
    this.units.write(text, 0, 'utf16le');
    this.scanUnits(this.view, length, table);
  }

  private scanUnits(units: Uint16Array, length: number, table: Uint32Array): void {
    let start = 0;
    let mask = 0;
    for (let index = 0; index < length; index += 1) {
      const entry = table[units[index] ?? 0] ?? 0;
      if (entry === 0) continue;
      if (entry >= BREAK_BIT) {
        if (mask !== 0) this.push(start, index, mask);
        start = index + 1;
        mask = 0;
      } else mask |= entry;
    }
    if (mask !== 0) this.push(start, length, mask);
  }

  private push(start: number, end: number, mask: number): void {
    if (this.count === this.starts.length) {
      const grow = (array: Int32Array) => {
        const next = new Int32Array(array.length * 2);
        next.set(array);
        return next;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      const masks = new Uint32Array(this.masks.length * 2);
      masks.set(this.masks);
      this.masks = masks;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.masks[this.count] = mask;
    this.count += 1;
    this.any |= mask;
  }

  /** The region `nextRegion` found last: [regionStart, regionEnd). */
  regionStart = 0;
  regionEnd = 0;
  private cursor = 0;

  /** Starts a walk over the regions of one detector bit (see `nextRegion`). */
  startRegions(): void {
    this.cursor = 0;
  }

  /**
   * Moves to the next maximal run of clauses whose mask has `bit`, merging runs separated only
   * by a break character (so a detector sees `a；b` once, not twice); false when there is none.
   * A cursor instead of a callback, so a scan allocates no closure per detector.
   */
  nextRegion(bit: number): boolean {
    let regionStart = -1;
    let regionEnd = -1;
    for (; this.cursor < this.count; this.cursor += 1) {
      const index = this.cursor;
      if (((this.masks[index] ?? 0) & bit) === 0) continue;
      const start = this.starts[index] ?? 0;
      const end = this.ends[index] ?? 0;
      if (regionStart < 0) {
        regionStart = start;
        regionEnd = end;
      } else if (start <= regionEnd + 1) regionEnd = end;
      else break;
    }
    if (regionStart < 0) return false;
    this.regionStart = regionStart;
    this.regionEnd = regionEnd;
    return true;
  }

  /** Calls `visit(start, end)` for each region of `bit` (see `nextRegion`). */
  forEachRegion(bit: number, visit: (start: number, end: number) => void): void {
    this.startRegions();
    while (this.nextRegion(bit)) visit(this.regionStart, this.regionEnd);
  }
}
