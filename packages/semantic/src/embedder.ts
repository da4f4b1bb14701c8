/**
 * Turns texts into vectors. The `id` is part of every index partition, so vectors of two models never meet;
 * change it whenever the vectors change (another model, another size).
 */
export interface Embedder {
  /** A stable name of the model and its settings, e.g. `use-lite-512`. */
  readonly id: string;
  /** Length of every vector. */
  readonly dimensions: number;
  /** One unit-length (or any-length: the index normalizes) vector per text, in order. */
  embed(texts: readonly string[]): Promise<ArrayLike<number>[]>;
}
