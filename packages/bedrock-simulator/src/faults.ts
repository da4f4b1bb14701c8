import { validationError } from './errors.js';
import { isJsonObject } from './json-shape.js';

/** What a fault does to the next matching model call. */
export type FaultKind = 'throttle' | 'server-error' | 'stream-exception' | 'slow';

/** The exception a `stream-exception` fault sends mid-stream (the event-stream member name). */
export type StreamExceptionType =
  | 'modelStreamErrorException'
  | 'throttlingException'
  | 'internalServerException'
  | 'serviceUnavailableException'
  | 'validationException'
  | 'modelTimeoutException';

/** A fault to inject into upcoming model calls. */
export interface Fault {
  /**
   * - `throttle`: answer 429 ThrottlingException.
   * - `server-error`: answer 500 InternalServerException.
   * - `stream-exception`: on a streaming call only, send an exception frame mid-stream.
   * - `slow`: wait `delayMs` longer before answering.
   */
  kind: FaultKind;
  /** For `slow`: the extra wait in ms. Default: `5000`. */
  delayMs?: number;
  /** For `stream-exception`: how many event frames go out before the exception. Default: `2`. */
  afterEvents?: number;
  /** For `stream-exception`: which exception. Default: `'modelStreamErrorException'`. */
  exceptionType?: StreamExceptionType;
  /** The error message sent. Default: a message that names the simulated fault. */
  message?: string;
}

/** How often a fault applies. */
export interface FaultOptions {
  /** How many matching calls the fault affects; `Infinity` until cleared. Default: `1`. */
  times?: number;
}

/** A fault waiting in the queue, with the calls it still affects. */
export interface PendingFault extends Fault {
  remaining: number;
}

const KINDS: readonly FaultKind[] = ['throttle', 'server-error', 'stream-exception', 'slow'];
const EXCEPTION_TYPES: readonly StreamExceptionType[] = [
  'modelStreamErrorException',
  'throttlingException',
  'internalServerException',
  'serviceUnavailableException',
  'validationException',
  'modelTimeoutException',
];

/** The queue of injected faults. The first fault that matches a call applies to it. */
export interface FaultQueue {
  add(fault: Fault, options?: FaultOptions): void;
  /** Removes every fault; returns how many there were. */
  clear(): number;
  /** Takes the fault for the next call, if any. `stream-exception` only matches streaming calls. */
  take(call: { streaming: boolean }): Fault | undefined;
  pending(): PendingFault[];
}

/** Checks a fault (from code or from `POST /_simulator/faults`); a bad one is a ValidationException. */
export function validateFault(input: unknown): { fault: Fault; times: number } {
  if (!isJsonObject(input))
    throw validationError('[bedrock-simulator] a fault must be a JSON object like {"kind":"throttle"}');
  const { kind, delayMs, afterEvents, exceptionType, message, times } = input;
  if (typeof kind !== 'string' || !KINDS.includes(kind as FaultKind)) {
    throw validationError(
      `[bedrock-simulator] fault kind must be one of ${KINDS.join(', ')}; got ${JSON.stringify(kind)}`,
    );
  }
  const nonNegative = (value: unknown, name: string): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw validationError(
        `[bedrock-simulator] fault ${name} must be a number >= 0; got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  if (exceptionType !== undefined && !EXCEPTION_TYPES.includes(exceptionType as StreamExceptionType)) {
    throw validationError(
      `[bedrock-simulator] fault exceptionType must be one of ${EXCEPTION_TYPES.join(', ')}`,
    );
  }
  if (message !== undefined && typeof message !== 'string') {
    throw validationError('[bedrock-simulator] fault message must be a string');
  }
  let count = 1;
  if (times === 'always' || times === Number.POSITIVE_INFINITY) count = Number.POSITIVE_INFINITY;
  else if (times !== undefined) {
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) {
      throw validationError(
        `[bedrock-simulator] fault times must be a whole number >= 1 or "always"; got ${JSON.stringify(times)}`,
      );
    }
    count = times;
  }
  const fault: Fault = { kind: kind as FaultKind };
  const delay = nonNegative(delayMs, 'delayMs');
  const after = nonNegative(afterEvents, 'afterEvents');
  if (delay !== undefined) fault.delayMs = delay;
  if (after !== undefined) fault.afterEvents = Math.floor(after);
  if (exceptionType !== undefined) fault.exceptionType = exceptionType as StreamExceptionType;
  if (message !== undefined) fault.message = message as string;
  return { fault, times: count };
}

/** Creates an empty fault queue. */
export function createFaultQueue(): FaultQueue {
  const queue: PendingFault[] = [];
  return {
    add(fault, options = {}) {
      const { fault: checked, times } = validateFault({ ...fault, times: options.times ?? 1 });
      queue.push({ ...checked, remaining: times });
    },
    clear() {
      return queue.splice(0).length;
    },
    take(call) {
      const index = queue.findIndex((fault) => fault.kind !== 'stream-exception' || call.streaming);
      if (index < 0) return undefined;
      const pending = queue[index] as PendingFault;
      pending.remaining -= 1;
      if (pending.remaining <= 0) queue.splice(index, 1);
      const { remaining: _remaining, ...fault } = pending;
      return fault;
    },
    pending() {
      return queue.map((fault) => ({ ...fault }));
    },
  };
}
