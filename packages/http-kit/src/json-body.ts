/** What is wrong with a JSON request body. */
export type JsonBodyProblem = 'empty' | 'not-utf8' | 'malformed';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a JSON request body. Invalid UTF-8 is refused, never decoded lossily (two different bodies must never
 * read the same). `refuse` makes the error thrown for a problem, in the caller's own wire format; `reason` is
 * the parser's message for a malformed body.
 */
export function parseJsonBody(
  body: Uint8Array,
  refuse: (problem: JsonBodyProblem, reason?: string) => Error,
): unknown {
  if (body.length === 0) throw refuse('empty');
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw refuse('not-utf8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw refuse('malformed', error instanceof Error ? error.message : String(error));
  }
}
