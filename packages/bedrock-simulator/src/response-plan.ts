import type { StreamFrame } from './event-stream.js';

/** A frame to send after waiting `delayMs`. */
export interface TimedFrame {
  frame: StreamFrame;
  delayMs: number;
}

/**
 * What a model route decided to send, before any waiting or writing: a JSON body after a delay,
 * or an event stream whose frames each wait their turn.
 */
export type ResponsePlan =
  | { kind: 'json'; body: unknown; headers: Record<string, string>; delayMs: number }
  | { kind: 'stream'; frames: TimedFrame[]; headers: Record<string, string> };
