import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The garbage collector, reachable without starting node with `--expose-gc`. */
function exposedGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export interface MemoryFigures {
  heapUsed: number;
  rss: number;
}

/** Heap in use and resident set size after a full collection, so that garbage is not counted. */
export function settledMemory(): MemoryFigures {
  const gc = exposedGc();
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}
