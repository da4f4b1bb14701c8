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

export interface ConverseRequest {
  modelId: string;
  system: Array<{ text: string }>;
  messages: Array<{ role: 'user' | 'assistant'; content: Array<{ text: string }> }>;
  inferenceConfig: { maxTokens: number; temperature: number; topP: number };
  requestMetadata?: Record<string, string>;
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

export function converseResponse(index: number) {
  return {
    output: {
      message: { role: 'assistant', content: [{ text: `(${index}) ${ANSWER}${ANSWER.slice(0, 400)}` }] },
    },
    stopReason: 'end_turn',
    usage: { inputTokens: 512, outputTokens: 330, totalTokens: 842 },
    metrics: { latencyMs: 1830 },
  };
}
