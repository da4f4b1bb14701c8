// Converse-shaped requests of about 2 KB and responses of about 1.5 KB, the sizes the issues name.
const SYSTEM =
  'You are a patient teaching assistant for a course on caching for LLM applications. Answer in plain words, ' +
  'give one short example, and say when the advice does not apply. Keep answers under two hundred words.';

const QUESTION =
  'Our support bot answers the same twenty questions all day. We call Amazon Bedrock for every message and the ' +
  'bill keeps growing. Explain how a response cache keyed on the canonical request would help, what must go into ' +
  'the key so that two different questions never share an answer, how long entries should live when the product ' +
  'documentation changes every week, and what we should measure to know the cache is working. Also explain what ' +
  'happens when a hundred users ask the same new question at the same moment, and how to keep personal data out. ';

const ANSWER =
  'A response cache stores the model answer under a key derived from everything that can change it: the model id, ' +
  'the messages, the system prompt and the inference settings. Canonical JSON makes the key independent of field ' +
  'order, and a SHA-256 digest keeps it short. When the documentation changes weekly, a TTL of a few hours to a day ' +
  'keeps answers fresh, and a version in the key lets you drop everything at once after a release. Measure the hit ' +
  'rate, the latency of hits and misses, and the dollars saved. When a hundred users ask the same new question at ' +
  'once, single-flight lets one call reach the model while the others wait for its answer. Keep personal data out ' +
  'with a guard that refuses to cache requests containing email addresses, phone numbers or card numbers, and ' +
  'encrypt entries at rest when the cache lives outside the process. ';

/** A Converse content block: text, or an image sent as bytes. */
export type ConverseContentBlock =
  | { text: string }
  | { image: { format: 'png' | 'jpeg'; source: { bytes: Uint8Array } } };

export interface ConverseRequest {
  modelId: string;
  system: Array<{ text: string }>;
  messages: Array<{ role: 'user' | 'assistant'; content: ConverseContentBlock[] }>;
  inferenceConfig: { maxTokens: number; temperature: number; topP: number };
  requestMetadata?: Record<string, string>;
}

export interface ConverseResponse {
  output: { message: { role: 'assistant'; content: Array<{ text: string }> } };
  stopReason: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  metrics: { latencyMs: number };
}

export function converseRequest(index: number): ConverseRequest {
  return {
    modelId: 'amazon.nova-lite-v1:0',
    system: [{ text: SYSTEM }],
    messages: [
      { role: 'user', content: [{ text: `Question ${index}. ${QUESTION}` }] },
      { role: 'assistant', content: [{ text: 'Happy to help. Which part matters most to you right now?' }] },
      { role: 'user', content: [{ text: `All of it, please (ticket ${index}). ${QUESTION.slice(0, 700)}` }] },
    ],
    inferenceConfig: { maxTokens: 512, temperature: 0.2, topP: 0.9 },
    requestMetadata: { ticket: String(index) },
  };
}

export function converseResponse(index: number): ConverseResponse {
  return {
    output: {
      message: { role: 'assistant', content: [{ text: `(${index}) ${ANSWER}${ANSWER.slice(0, 400)}` }] },
    },
    stopReason: 'end_turn',
    usage: { inputTokens: 512, outputTokens: 330, totalTokens: 842 },
    metrics: { latencyMs: 1830 },
  };
}

/** A Converse response whose JSON is about `bytes` long (1 KB, 10 KB...), answer text made of the fixture answer. */
export function sizedResponse(index: number, bytes: number): ConverseResponse {
  const response: ConverseResponse = {
    output: { message: { role: 'assistant', content: [{ text: '' }] } },
    stopReason: 'end_turn',
    usage: {
      inputTokens: 512,
      outputTokens: Math.round(bytes / 5),
      totalTokens: 512 + Math.round(bytes / 5),
    },
    metrics: { latencyMs: 1830 },
  };
  const overhead = JSON.stringify(response).length + `(${index}) `.length;
  let text = `(${index}) `;
  while (text.length < bytes - overhead) text += ANSWER;
  response.output.message.content[0]!.text = text.slice(0, Math.max(0, bytes - overhead));
  return response;
}

/** A short Converse request (about 0.4 KB): the scaling suite keeps a million of these in memory. */
export function shortRequest(index: number): ConverseRequest {
  return {
    modelId: 'amazon.nova-lite-v1:0',
    system: [{ text: 'Answer in one short paragraph.' }],
    messages: [
      {
        role: 'user',
        content: [{ text: `Question ${index}: how long should a cache entry live when docs change weekly?` }],
      },
    ],
    inferenceConfig: { maxTokens: 256, temperature: 0.2, topP: 0.9 },
  };
}

/** A small answer (about 0.2 KB) for the scaling suite. */
export function shortResponse(index: number): ConverseResponse {
  return {
    output: {
      message: {
        role: 'assistant',
        content: [{ text: `(${index}) A few hours to a day, plus a version in the key.` }],
      },
    },
    stopReason: 'end_turn',
    usage: { inputTokens: 40, outputTokens: 16, totalTokens: 56 },
    metrics: { latencyMs: 700 },
  };
}

/**
 * A PNG-like image of `size` bytes whose content depends on `seed`: two seeds give two images that
 * differ in their bytes only (same size, same format).
 */
export function imageBytes(seed: number, size = 4096): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let state = seed * 2654435761 + 1;
  for (let index = 8; index < size; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/** "What is in this picture?" with an attached image: requests of two seeds differ in the image bytes alone. */
export function imageRequest(seed: number): ConverseRequest {
  return {
    modelId: 'amazon.nova-lite-v1:0',
    system: [{ text: 'Describe images in one sentence.' }],
    messages: [
      {
        role: 'user',
        content: [
          { image: { format: 'png', source: { bytes: imageBytes(seed) } } },
          { text: 'What is in this picture?' },
        ],
      },
    ],
    inferenceConfig: { maxTokens: 128, temperature: 0, topP: 1 },
  };
}

/** A response whose whole answer is `text`. */
export function textResponse(text: string): ConverseResponse {
  return {
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 300, outputTokens: 20, totalTokens: 320 },
    metrics: { latencyMs: 900 },
  };
}
