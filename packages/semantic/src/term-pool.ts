import type { SparseTerms } from './term-statistics.js';

/**
 * The sparse term vectors of a partition's entries end to end in two typed arrays, slot after slot: no object and
 * no typed array an entry (those cost more than the terms themselves). A removed slot keeps its terms, unread.
 */
export class TermPool {
  ids = new Int32Array(1024);
  tf = new Uint16Array(1024);
  /** Slot `s` holds `ids[starts[s]]` to `ids[starts[s + 1]]` (exclusive). */
  starts = new Int32Array(64);
  private slots = 0;

  /** Appends the terms of the next slot (slots come in order: 0, 1, 2...). */
  append(slot: number, terms: SparseTerms): void {
    if (slot !== this.slots)
      throw new RangeError(`[semantic] term pool slot ${slot} after ${this.slots - 1}`);
    const start = this.starts[slot]!;
    const end = start + terms.ids.length;
    if (end > this.ids.length) {
      const capacity = Math.max(end, Math.ceil(this.ids.length * 1.25));
      this.ids = grown(this.ids, new Int32Array(capacity));
      this.tf = grown(this.tf, new Uint16Array(capacity));
    }
    if (slot + 2 > this.starts.length) {
      this.starts = grown(this.starts, new Int32Array(Math.ceil((slot + 2) * 1.25)));
    }
    this.ids.set(terms.ids, start);
    this.tf.set(terms.tf, start);
    this.starts[slot + 1] = end;
    this.slots++;
  }

  /** The terms of one slot, as views (no copy). */
  terms(slot: number): SparseTerms {
    const start = this.starts[slot]!;
    const end = this.starts[slot + 1]!;
    return { ids: this.ids.subarray(start, end), tf: this.tf.subarray(start, end) };
  }
}

function grown<T extends Int32Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
