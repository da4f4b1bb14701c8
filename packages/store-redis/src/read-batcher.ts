/** Reads the values of `keys` in one round trip, in order; `null` where a key does not exist. */
export type ReadMany = (keys: string[]) => Promise<Array<Buffer | null>>;

interface PendingRead {
  key: string;
  resolve(value: Buffer | null): void;
  reject(error: unknown): void;
}

/**
 * Coalesces the reads issued in one tick into multi-key reads (MGET). With many calls in flight, ioredis
 * and Redis then do a few commands' work instead of dozens. A batch holds at most half of the reads in
 * flight (and at most `maxKeys`), so that two batches are always on the way: Redis answers one while Node
 * works through the other, and neither sits idle. A lone read still goes out in the same tick, so nothing
 * waits for a batch to fill. One failed batch fails each of its reads with the same error.
 */
export function createReadBatcher(
  readMany: ReadMany,
  maxKeys: number,
): (key: string) => Promise<Buffer | null> {
  let queue: PendingRead[] = [];
  let inFlight = 0;

  const send = (batch: PendingRead[]) => {
    readMany(batch.map((read) => read.key)).then(
      (values) => {
        inFlight -= batch.length;
        for (let index = 0; index < batch.length; index++) batch[index]!.resolve(values[index] ?? null);
      },
      (error: unknown) => {
        inFlight -= batch.length;
        for (const read of batch) read.reject(error);
      },
    );
  };

  const flush = () => {
    const pending = queue;
    queue = [];
    const size = Math.min(maxKeys, Math.ceil(inFlight / 2));
    for (let start = 0; start < pending.length; start += size) send(pending.slice(start, start + size));
  };

  return (key) =>
    new Promise((resolve, reject) => {
      // nextTick runs once the current run of promise reactions is over: every caller resumed by the
      // same reply has queued its read by then.
      if (queue.length === 0) process.nextTick(flush);
      queue.push({ key, resolve, reject });
      inFlight++;
    });
}
