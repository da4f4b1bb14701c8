import { validationError } from './errors.js';
import { requireModelId } from './request-bounds.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

/** Model ids already found valid, by their path segment: a gateway serves a handful of models. */
const valid = new Map<string, string>();
/** Past this many, the oldest is forgotten (a caller sending ever new ids cannot grow the map). */
const MAX_REMEMBERED = 1000;

/**
 * The model id of a `/model/{modelId}/...` path segment, decoded and checked.
 * @throws {GatewayError} 400 ValidationException for bad URL encoding or an id that is not a Bedrock model id.
 */
export function decodeModelId(encoded: string): string {
  const known = valid.get(encoded);
  if (known !== undefined) return known;
  let modelId: string;
  try {
    modelId = decodeURIComponent(encoded);
  } catch {
    throw validationError('[server] the model id in the path is not valid URL encoding; encode ":" as %3A');
  }
  if (modelId.trim() === '' || modelId.length > 2048 || CONTROL_CHARACTER.test(modelId)) {
    throw validationError('[server] the model id in the path must be 1-2048 printable characters');
  }
  requireModelId(modelId);
  if (valid.size >= MAX_REMEMBERED) valid.delete(valid.keys().next().value as string);
  valid.set(encoded, modelId);
  return modelId;
}

/** The model id of a path segment that {@link decodeModelId} accepted before; `undefined` otherwise. */
export function knownModelId(encoded: string): string | undefined {
  return valid.get(encoded);
}
