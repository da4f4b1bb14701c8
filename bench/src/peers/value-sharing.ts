/** Whether what a cache returns is the caller's own copy, or the stored object itself. */
export type ValueSharing = 'copy' | 'shared mutable object' | 'shared frozen object';

const MARK = '__benchmarkMutation';

/**
 * Reads a value twice, changing the first read's nested object (`pick`) in between: when the second read
 * sees the change, the cache hands out its stored object (a caller's edit changes every later hit).
 * The change is undone, so the cache is left as it was.
 */
export async function valueSharing<Value>(
  read: () => Promise<Value>,
  pick: (value: Value) => object,
): Promise<ValueSharing> {
  const first = pick(await read()) as Record<string, unknown>;
  if (Object.isFrozen(first)) return 'shared frozen object';
  first[MARK] = true;
  try {
    const second = pick(await read()) as Record<string, unknown>;
    return second[MARK] === true ? 'shared mutable object' : 'copy';
  } finally {
    delete first[MARK];
  }
}

/** The words a table's note column uses for each kind of sharing. */
export function describeSharing(sharing: ValueSharing): string {
  switch (sharing) {
    case 'copy':
      return 'returns a copy';
    case 'shared frozen object':
      return 'returns the stored object, frozen';
    default:
      return 'returns the stored object itself (a caller who edits it changes the cache)';
  }
}
