import { cloneValue } from '@prompt-cache/core/store-kit';
import { StreamAbandonedError } from './errors.js';
import type { RecordedEvent } from './recorded-response.js';

/** Options of {@link createStreamRecording}. */
export interface StreamRecordingOptions {
  /** When the call started, on the `now` time line; each event is stamped with the time since. Default: now. */
  startedAt?: number;
  /** A monotonic time source in ms. Default `performance.now`. */
  now?: () => number;
  /**
   * Cancels the upstream transfer when every consumer has stopped early. Needed because the SDK's event-stream
   * decoder does not close the HTTP stream when its iterator is returned. Default: only the iterator is returned.
   */
  cancel?: () => void;
}

/**
 * One upstream event stream, pumped once into a shared recording that any number of consumers read, each at its
 * own pace and each from the first event. The pump runs ahead of the readers, so a slow reader never holds up a fast one.
 */
export interface StreamRecording<Event> {
  /** The events received so far (the recording itself: do not change them). */
  readonly events: readonly RecordedEvent[];
  /**
   * A new consumer of the stream, from its first event. Each event it yields is its own copy.
   * A consumer that stops early (`break`) leaves the others alone. When every consumer has stopped early,
   * the upstream stream is cancelled. An upstream error reaches every consumer after the events before it.
   */
  read(): AsyncIterable<Event>;
  /** Whether a new consumer can still join (the recording has not failed or been abandoned). */
  readonly joinable: boolean;
  /**
   * Resolves with every event once the upstream stream has ended and at least one consumer has read it to
   * its end. Rejects with the upstream error, or with {@link StreamAbandonedError} when every consumer stopped early.
   */
  readonly delivered: Promise<RecordedEvent[]>;
  /**
   * Ends a recording that is still streaming with `error`, for every reader: the upstream transfer was cut by
   * someone else (the starting call's abort signal), so its end must not read as the stream's end.
   */
  interrupt(error: unknown): void;
}

type State = 'streaming' | 'ended' | 'failed' | 'abandoned';

/** Starts pumping `source` into a new recording. */
export function createStreamRecording<Event>(
  source: AsyncIterable<Event>,
  options: StreamRecordingOptions = {},
): StreamRecording<Event> {
  const now = options.now ?? (() => performance.now());
  const startedAt = options.startedAt ?? now();
  const events: RecordedEvent[] = [];
  let state: State = 'streaming';
  let failure: unknown;
  let activeReaders = 0;
  let wakeReaders: (() => void) | undefined;
  let changed = new Promise<void>((resolve) => {
    wakeReaders = resolve;
  });
  let resolveDelivered!: (events: RecordedEvent[]) => void;
  let rejectDelivered!: (error: unknown) => void;
  const delivered = new Promise<RecordedEvent[]>((resolve, reject) => {
    resolveDelivered = resolve;
    rejectDelivered = reject;
  });
  delivered.catch(() => undefined); // the owner may not be listening; the error also reaches the readers

  const notify = (): void => {
    const wake = wakeReaders;
    changed = new Promise<void>((resolve) => {
      wakeReaders = resolve;
    });
    wake?.();
  };

  const iterator = source[Symbol.asyncIterator]();
  const pump = async (): Promise<void> => {
    try {
      while (state === 'streaming') {
        const next = await iterator.next();
        if (state !== 'streaming') break;
        if (next.done) {
          state = 'ended';
          break;
        }
        events.push({ atMs: Math.max(0, now() - startedAt), event: next.value as Record<string, unknown> });
        notify();
      }
    } catch (error) {
      if (state === 'streaming') {
        state = 'failed';
        failure = error;
        rejectDelivered(error);
      }
    } finally {
      if (state === 'abandoned') await Promise.resolve(iterator.return?.()).catch(() => undefined);
      notify();
    }
  };
  void pump();

  let handedOver = false;
  const deliver = (): void => {
    handedOver = true;
    resolveDelivered(events);
  };

  // Every consumer left before the end: cancel the upstream (if it still runs) and store nothing, even when
  // the pump already had the whole stream, so that the outcome never depends on how fast the network was.
  const abandonIfAlone = (): void => {
    if (activeReaders > 0 || handedOver || state === 'failed' || state === 'abandoned') return;
    state = 'abandoned';
    rejectDelivered(new StreamAbandonedError());
    try {
      options.cancel?.();
    } catch {
      // cancelling is best effort: the recording is dropped either way
    }
    notify();
  };

  const read = (): AsyncIterable<Event> => {
    activeReaders += 1;
    let index = 0;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      activeReaders -= 1;
    };
    const iterator: AsyncIterator<Event> = {
      async next() {
        while (!finished) {
          if (index < events.length) {
            const recorded = events[index++] as RecordedEvent;
            return { done: false, value: cloneValue(recorded.event) as Event };
          }
          if (state === 'ended') {
            finish();
            deliver();
            break;
          }
          if (state === 'failed') {
            finish();
            throw failure;
          }
          if (state === 'abandoned') {
            finish();
            throw new StreamAbandonedError();
          }
          await changed;
        }
        return { done: true, value: undefined };
      },
      async return() {
        if (!finished) {
          finish();
          abandonIfAlone();
        }
        return { done: true, value: undefined };
      },
    };
    return { [Symbol.asyncIterator]: () => iterator };
  };

  const interrupt = (error: unknown): void => {
    if (state !== 'streaming') return;
    state = 'failed';
    failure = error;
    rejectDelivered(error);
    notify();
  };

  return {
    events,
    read,
    interrupt,
    get joinable() {
      return state === 'streaming' || state === 'ended';
    },
    delivered,
  };
}
