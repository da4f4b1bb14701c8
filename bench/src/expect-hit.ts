// Every cache in a timed loop must answer from its entries: a miss would time the model, not the cache.

const NOT_A_HIT = 'the benchmark expected a hit';

/** A compute function for getOrCompute and its peers that fails the run if it is ever called. */
export const miss = async (): Promise<never> => {
  throw new Error(NOT_A_HIT);
};

/** The value of a lookup, which must have found something. */
export function expectHit<Value>(value: Value | undefined): Value {
  if (value === undefined) throw new Error(NOT_A_HIT);
  return value;
}
