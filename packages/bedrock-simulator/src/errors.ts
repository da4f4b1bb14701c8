/**
 * Error types that Bedrock Runtime sends, with the HTTP status the AWS SDK expects for each.
 * The SDK reads the type from the `x-amzn-errortype` header and throws the matching exception class.
 */
export const BEDROCK_ERROR_STATUS = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
} as const;

/** The name of an error type that the simulator can send. */
export type BedrockErrorType = keyof typeof BEDROCK_ERROR_STATUS;

/**
 * An error in Bedrock's wire format. Throw it from a route and the simulator answers with its
 * status, an `x-amzn-errortype` header and a JSON body `{ "message": ... }`.
 */
export class BedrockWireError extends Error {
  /** The Bedrock error type, e.g. `ValidationException`. */
  readonly type: BedrockErrorType;
  /** The HTTP status sent with it. */
  readonly status: number;

  constructor(type: BedrockErrorType, message: string) {
    super(message);
    this.name = 'BedrockWireError';
    this.type = type;
    this.status = BEDROCK_ERROR_STATUS[type];
  }
}

/** The `x-amzn-errortype` header value Bedrock sends, e.g. `ValidationException:http://internal...`. */
export function errorTypeHeader(type: BedrockErrorType): string {
  return `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`;
}

/** Shorthand for the most common error: a 400 ValidationException. */
export function validationError(message: string): BedrockWireError {
  return new BedrockWireError('ValidationException', message);
}

/**
 * The message Bedrock uses for a body that does not match the model's schema,
 * e.g. `Malformed input request: #: required key [messages] not found, please reformat your input and try again.`
 */
export function malformedInput(detail: string): BedrockWireError {
  return validationError(`Malformed input request: ${detail}, please reformat your input and try again.`);
}
