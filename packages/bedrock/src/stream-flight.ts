import type { CacheInfo } from './cache-info.js';
import type { StreamRecording } from './stream-recording.js';
import type { UpstreamResult } from './upstream-result.js';

/** How the first of several identical stream calls answered: from the cache, or with a live stream. */
export type FlightAnswer =
  | { kind: 'cached' }
  | {
      kind: 'live';
      upstream: UpstreamResult;
      recording: StreamRecording<object>;
      /** The leader's final information: whether the recording was stored, and what it cost. */
      leaderSettled: Promise<CacheInfo>;
    };

/**
 * An identical stream call in flight. Its leader registers it before looking anything up, so that calls
 * arriving meanwhile wait for its answer instead of calling Bedrock too.
 */
export interface StreamFlight {
  /** Settles once the leader knows how it answers; rejects with the leader's upstream error. */
  readonly answer: Promise<FlightAnswer>;
  resolve(answer: FlightAnswer): void;
  reject(error: unknown): void;
}

/** A new, unanswered flight. */
export function createStreamFlight(): StreamFlight {
  let resolve!: (answer: FlightAnswer) => void;
  let reject!: (error: unknown) => void;
  const answer = new Promise<FlightAnswer>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  answer.catch(() => undefined); // followers may never come; the leader rethrows the error itself
  return { answer, resolve, reject };
}
