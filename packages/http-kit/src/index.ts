export { answeredInFull, clientGone } from './client-gone.js';
export type { HttpRequest, HttpResponse } from './http-types.js';
export { type JsonBodyProblem, parseJsonBody } from './json-body.js';
export { type BodyLimit, discardLimitOf, readBody } from './read-body.js';
export { nextStopSignal } from './stop-signal.js';
export { drainedOrClosed, writeChunk } from './write-chunk.js';
