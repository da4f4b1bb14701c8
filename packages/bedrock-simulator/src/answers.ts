import type { SeededRandom } from './deterministic-random.js';

/** Every simulated text starts with this label, so nobody mistakes it for a real model's answer. */
export const SIMULATED_LABEL = '[simulated] ';

/** The text sent when a guardrail blocks a prompt that contains `BLOCKED`. */
export const GUARDRAIL_MESSAGE = `${SIMULATED_LABEL}Sorry, the model cannot answer this question (a guardrail intervened).`;

const OPENINGS = [
  'In short, {topic} comes down to a few moving parts that are easier to reason about one at a time.',
  '{Topic} is best understood by looking at what is stored, when it changes and who reads it.',
  'Here is a plain explanation of {topic}, from the basic idea to the parts that usually surprise people.',
  'The short answer: {topic} trades a little bookkeeping for much less repeated work.',
  'A useful way to think about {topic} is as a contract between the part that produces data and the part that reuses it.',
  'At its core, {topic} is about doing expensive work once and making the result cheap to find again.',
];

const MECHANISMS = [
  'The first step is to identify the inputs that actually change the result, because everything else is noise.',
  'Each request is reduced to a stable key, so identical inputs always land in the same place.',
  'When the same input arrives again, the stored result is returned instead of being computed a second time.',
  'Entries usually carry a time to live, after which they are treated as stale and refreshed on the next request.',
  'A good implementation keeps the fast path short and moves rare cases, such as errors, out of the way.',
  'Under load, concurrent identical requests can share a single piece of work instead of repeating it.',
  'Most of the behaviour of {topic} follows from its defaults, so it pays to read them before tuning anything.',
  'The system records what it saved, which makes the benefit visible rather than assumed.',
  'Order matters: the stable parts go first and the parts that change on every call go last.',
  'Latency drops the most when the expensive step is skipped entirely, not merely made a little faster.',
];

const EXAMPLES = [
  'For example, a team that asks the same question many times a day sees the second and later answers arrive almost instantly.',
  'A concrete case: if two users ask about {topic} within a minute, only the first one needs a full round trip.',
  'Picture a long system prompt shared by every request; reusing it is where most of the savings come from.',
  'A small experiment with real traffic usually tells you more about {topic} than a long comparison table.',
];

const CAVEATS = [
  'The main caveat is freshness: a stored answer is only as current as the moment it was produced.',
  'Be careful with anything personal or time-sensitive, because reusing it can be wrong or unsafe.',
  'Measure before and after, since the benefit of {topic} depends heavily on how often requests repeat.',
  'Watch memory and storage limits, because an unbounded store eventually becomes its own problem.',
];

const CLOSINGS = [
  'Start simple, watch the numbers, and add sophistication only when they ask for it.',
  'That is the core of {topic}; the rest is detail you can add when you need it.',
  'If you remember one thing, remember to keep the key small and the rules for reuse explicit.',
];

const LEADING_PHRASES =
  /^(?:(?:please|hi|hello|hey|ok|okay|so)[,!]?\s+|(?:can|could|would|will)\s+you\s+(?:please\s+)?|(?:briefly\s+)?(?:explain|describe|summari[sz]e|define|outline|compare)\s+|tell\s+me\s+(?:about\s+)?|give\s+me\s+(?:an?\s+)?(?:overview|summary|explanation)\s+of\s+|(?:what|how|why|when|where|which|who)(?:'s|\s+(?:is|are|does|do|did|can|should|would|was|were))?\s+|(?:is|are|does|do)\s+)/i;

/**
 * Guesses the topic of a question, e.g. `How does TTL work in Milvus?` gives `TTL in Milvus`.
 * Falls back to `this topic` when nothing is left.
 */
export function extractTopic(question: string): string {
  const text = question.replace(/\s+/g, ' ').trim();
  const sentences = text.split(/(?<=[.?!])\s+/).filter((sentence) => sentence.length > 0);
  let topic = [...sentences].reverse().find((sentence) => sentence.endsWith('?')) ?? sentences[0] ?? '';
  topic = topic.replace(/[?!.:;,]+$/, '');
  for (let round = 0; round < 4; round += 1) {
    const stripped = topic.replace(LEADING_PHRASES, '');
    if (stripped === topic) break;
    topic = stripped;
  }
  topic = topic.replace(/\s+(?:work|works|function|functions|mean|means|happen|happens)\b/gi, '');
  topic = topic.replace(/["`]/g, '').trim();
  const words = topic.split(' ').filter((word) => word.length > 0);
  if (words.length === 0) return 'this topic';
  return words.slice(0, 8).join(' ');
}

function fill(sentence: string, topic: string): string {
  const capitalized = topic.charAt(0).toUpperCase() + topic.slice(1);
  return sentence.replaceAll('{Topic}', capitalized).replaceAll('{topic}', topic);
}

function pickDistinct(random: SeededRandom, items: readonly string[], count: number): string[] {
  const pool = [...items];
  const picked: string[] = [];
  while (picked.length < count && pool.length > 0) {
    const index = random.integer(0, pool.length - 1);
    picked.push(pool.splice(index, 1)[0] as string);
  }
  return picked;
}

/**
 * Composes a plausible explanatory answer about the question's topic from the built-in corpus.
 * The same question and random seed always give the same answer. The text starts with `[simulated] `.
 */
export function composeAnswer(question: string, random: SeededRandom): string {
  const topic = extractTopic(question);
  const sentences = [
    random.pick(OPENINGS),
    ...pickDistinct(random, MECHANISMS, random.integer(2, 3)),
    ...(random.next() < 0.6 ? [random.pick(EXAMPLES)] : []),
    random.pick(CAVEATS),
    ...(random.next() < 0.5 ? [random.pick(CLOSINGS)] : []),
  ];
  return SIMULATED_LABEL + sentences.map((sentence) => fill(sentence, topic)).join(' ');
}

/** The answer after a tool has run: it quotes the tool result, then explains as usual. */
export function composeToolResultAnswer(toolResult: string, question: string, random: SeededRandom): string {
  const quoted = toolResult.replace(/\s+/g, ' ').trim();
  const shortened = quoted.length > 160 ? `${quoted.slice(0, 157)}...` : quoted;
  const body = composeAnswer(question, random).slice(SIMULATED_LABEL.length);
  return `${SIMULATED_LABEL}The tool returned: ${shortened || '(no content)'}. ${body}`;
}

/** The short text a model writes before it calls a tool. */
export function composeToolIntroduction(toolName: string): string {
  return `${SIMULATED_LABEL}I will use the ${toolName} tool to answer this.`;
}

/** The reasoning ("thinking") text sent when reasoning is requested. */
export function composeReasoning(question: string, random: SeededRandom): string {
  const topic = extractTopic(question);
  const plans = [
    `The user asks about ${topic}. I should explain the core idea first, then give an example and a caveat.`,
    `Let me think about ${topic}. The key points are what gets reused, when it expires and what it saves.`,
    `To answer well I need to define ${topic}, show how it behaves in practice and mention its limits.`,
  ];
  return SIMULATED_LABEL + random.pick(plans);
}

/** A JSON Schema, as far as the simulator reads it. */
interface JsonSchemaLike {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchemaLike>;
  required?: string[];
  items?: JsonSchemaLike;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

/** Builds a deterministic tool input that matches a (simple) JSON Schema. */
export function sampleFromSchema(schema: unknown, topic: string, random: SeededRandom, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > 4) return {};
  const shape = schema as JsonSchemaLike;
  if (shape.default !== undefined) return shape.default;
  if (Array.isArray(shape.enum) && shape.enum.length > 0) return random.pick(shape.enum);
  const type = Array.isArray(shape.type) ? shape.type[0] : shape.type;
  switch (type) {
    case 'string':
      return topic;
    case 'integer':
    case 'number': {
      const minimum = typeof shape.minimum === 'number' ? shape.minimum : 1;
      const maximum = typeof shape.maximum === 'number' ? shape.maximum : Math.max(minimum, 100);
      return random.integer(Math.ceil(minimum), Math.floor(maximum));
    }
    case 'boolean':
      return random.next() < 0.5;
    case 'array':
      return [sampleFromSchema(shape.items ?? { type: 'string' }, topic, random, depth + 1)];
    case 'null':
      return null;
    default: {
      const properties = shape.properties ?? {};
      const names =
        Array.isArray(shape.required) && shape.required.length > 0 ? shape.required : Object.keys(properties);
      const value: Record<string, unknown> = {};
      for (const name of names)
        value[name] = sampleFromSchema(properties[name] ?? { type: 'string' }, topic, random, depth + 1);
      return value;
    }
  }
}
