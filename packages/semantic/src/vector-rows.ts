/** How an index keeps its vectors: 4 bytes a number, or 1 byte with a scale a row (a quarter of the memory). */
export type VectorPrecision = 'float32' | 'int8';

/**
 * The unit-length vectors of one partition, one row per slot, in one growing typed array. With `int8` each number
 * is rounded to one of 255 steps of its row's largest magnitude: a cosine moves by about 0.001 at most.
 */
export class VectorRows {
  private rows: Float32Array | Int8Array;
  private scales = new Float32Array(0);

  constructor(
    readonly dimensions: number,
    readonly precision: VectorPrecision,
  ) {
    this.rows = precision === 'int8' ? new Int8Array(0) : new Float32Array(0);
  }

  /** Stores `vector` (made unit length) in row `slot`, growing by a quarter when full (little idle room). */
  set(slot: number, vector: ArrayLike<number>): void {
    const { dimensions } = this;
    if ((slot + 1) * dimensions > this.rows.length) {
      const capacity = Math.max(Math.ceil((slot + 1) * 1.25), 16);
      const rows =
        this.precision === 'int8'
          ? new Int8Array(capacity * dimensions)
          : new Float32Array(capacity * dimensions);
      rows.set(this.rows);
      this.rows = rows;
      const scales = new Float32Array(capacity);
      scales.set(this.scales);
      this.scales = scales;
    }
    const values = unit(vector);
    const offset = slot * dimensions;
    if (this.rows instanceof Float32Array) {
      this.rows.set(values, offset);
      return;
    }
    let largest = 0;
    for (const value of values) largest = Math.max(largest, Math.abs(value));
    const scale = largest / 127 || 1;
    this.scales[slot] = scale;
    for (let index = 0; index < dimensions; index++)
      this.rows[offset + index] = Math.round(values[index]! / scale);
  }

  /** Row `slot` as numbers (for persistence). */
  row(slot: number): Float32Array {
    const start = slot * this.dimensions;
    const values = Float32Array.from(this.rows.subarray(start, start + this.dimensions));
    if (this.precision === 'int8')
      for (let index = 0; index < values.length; index++) values[index]! *= this.scales[slot]!;
    return values;
  }

  /** Cosine of a unit query and row `slot`. */
  dot(query: Float32Array, slot: number): number {
    const sum = dotAt(query, this.rows, slot * this.dimensions);
    return this.precision === 'int8' ? sum * this.scales[slot]! : sum;
  }

  /** Bytes held, growth room included. */
  get bytes(): number {
    return this.rows.byteLength + this.scales.byteLength;
  }
}

/** `vector` scaled to length 1 (a zero vector stays zero). */
export function unit(vector: ArrayLike<number>): Float32Array {
  const result = Float32Array.from(vector);
  let squares = 0;
  for (const value of result) squares += value * value;
  const norm = Math.sqrt(squares);
  if (norm > 0) for (let index = 0; index < result.length; index++) result[index]! /= norm;
  return result;
}

function dotAt(query: Float32Array, rows: Float32Array | Int8Array, offset: number): number {
  // Four running sums: independent additions the CPU overlaps.
  let one = 0;
  let two = 0;
  let three = 0;
  let four = 0;
  const length = query.length;
  const whole = length - (length % 4);
  let index = 0;
  for (; index < whole; index += 4) {
    one += query[index]! * rows[offset + index]!;
    two += query[index + 1]! * rows[offset + index + 1]!;
    three += query[index + 2]! * rows[offset + index + 2]!;
    four += query[index + 3]! * rows[offset + index + 3]!;
  }
  for (; index < length; index++) one += query[index]! * rows[offset + index]!;
  return one + two + (three + four);
}
