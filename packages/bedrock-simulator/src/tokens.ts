/**
 * A plausible token count for a text: about one token per four characters, as for English text
 * with most Bedrock tokenizers. An empty text has zero tokens.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/**
 * Cuts `text` so that it fits in `maxTokens` (by {@link estimateTokens}), at a word boundary when one
 * is near, but never shorter than `keepPrefix` (so a `[simulated] ` label always survives).
 */
export function truncateToTokens(text: string, maxTokens: number, keepPrefix = ''): string {
  const limit = Math.max(maxTokens * 4, keepPrefix.length);
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  return lastSpace >= keepPrefix.length && lastSpace > limit - 20 ? cut.slice(0, lastSpace) : cut;
}

/**
 * Splits a text into stream chunks of a few words each. Joining the chunks gives back the text exactly.
 * `pickSize` returns how many words the next chunk holds.
 */
export function splitIntoChunks(text: string, pickSize: () => number): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  const leading = text.match(/^\s+/)?.[0] ?? '';
  const chunks: string[] = [];
  let index = 0;
  while (index < words.length) {
    const size = Math.max(1, pickSize());
    chunks.push(words.slice(index, index + size).join(''));
    index += size;
  }
  if (leading && chunks.length > 0) chunks[0] = leading + chunks[0];
  if (chunks.length === 0 && text.length > 0) chunks.push(text);
  return chunks;
}

/** Splits a string into pieces of at most `size` characters (for streamed tool input JSON). */
export function splitEvery(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += size) pieces.push(text.slice(index, index + size));
  return pieces;
}
