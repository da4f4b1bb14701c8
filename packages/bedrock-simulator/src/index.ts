export { SIMULATED_LABEL } from './answers.js';
export type { Clock, Sleep } from './clock.js';
export {
  type DualProtocolListener,
  type HttpRequest,
  type HttpResponse,
  type ListenOptions,
  listenHttp1And2,
  type RequestHandler,
} from './dual-protocol-server.js';
export { embedText } from './embeddings.js';
export { BEDROCK_ERROR_STATUS, type BedrockErrorType, BedrockWireError } from './errors.js';
export {
  decodeFrame,
  EVENT_STREAM_CONTENT_TYPE,
  encodeEvent,
  encodeException,
} from './event-stream.js';
export type { Fault, FaultKind, FaultOptions, PendingFault, StreamExceptionType } from './faults.js';
export { SIMULATOR_HEADER } from './http-io.js';
export { DEFAULT_LATENCY, type LatencyOptions } from './latency.js';
export { describeListenError } from './listen-error.js';
export { baseModelId, type ModelFamily, modelFamily } from './model-id.js';
export {
  type BedrockSimulator,
  type BedrockSimulatorOptions,
  createBedrockSimulator,
  type ModelOperation,
  type SimulatorCall,
  type SimulatorListenOptions,
} from './simulator.js';
export { DEFAULT_SOCKET_LIMITS, resolveSocketLimits, type SocketLimits } from './socket-limits.js';
