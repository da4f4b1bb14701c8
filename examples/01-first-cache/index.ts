// Module 1: a first cache. Six questions, three of them repeats, against a stand-in model that takes
// about a second. Watch the repeats come back in microseconds and cost nothing.
import { createPromptCache } from '@prompt-cache/core';
import { costOf } from '@prompt-cache/pricing';
import { createMemoryStore } from '@prompt-cache/store-memory';

const MODEL = 'amazon.nova-lite-v1:0';
const QUESTIONS = [
  'What is machine learning?',
  'Explain prompt caching in one paragraph.',
  'What is machine learning?',
  'How does a TTL keep cached answers fresh?',
  'Explain prompt caching in one paragraph.',
  'What is machine learning?',
];

interface Answer {
  text: string;
  usage: { inputTokens: number; outputTokens: number };
}

/** A stand-in for a model: about one second, a deterministic answer, plausible token counts. */
async function standInModel(prompt: string): Promise<Answer> {
  const seconds = process.env.PROMPT_CACHE_FAST_EXAMPLES ? 0.01 : 0.9 + (prompt.length % 7) * 0.03;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const text = `[stand-in model] A short answer to "${prompt}"`;
  return { text, usage: { inputTokens: Math.ceil(prompt.length / 4) + 20, outputTokens: 200 } };
}

const cache = createPromptCache<{ model: string; prompt: string }, Answer>({
  store: createMemoryStore(),
  ttlSeconds: 3600,
  describe: (answer, request) => ({
    model: request.model,
    usage: answer.usage,
    costUsd: costOf(request.model, answer.usage),
  }),
});

const formatMs = (ms: number) => (ms >= 100 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(3)} ms`);
const formatUsd = (usd: number) => `$${usd.toFixed(7)}`;

console.log(
  `prompt-cache demo: ${QUESTIONS.length} questions, ${MODEL} prices, a stand-in model of about 1 s\n`,
);
for (const [index, prompt] of QUESTIONS.entries()) {
  const request = { model: MODEL, prompt };
  const result = await cache.getOrCompute(request, () => standInModel(prompt));
  const status = result.status === 'hit' ? 'HIT ' : 'MISS';
  const detail =
    result.status === 'hit'
      ? `saved ${formatMs(result.saved.ms)} and ${formatUsd(result.saved.usd)}`
      : `called the model, cost ${formatUsd(result.meta.costUsd ?? 0)}`;
  console.log(`${index + 1}. ${status} ${formatMs(result.latencyMs).padStart(10)}  ${prompt}`);
  console.log(`   key ${result.key.slice(0, 28)}…  ${detail}`);
}

const stats = cache.stats.snapshot();
console.log('\nstatistics');
console.log(`  hits ${stats.hits}, misses ${stats.misses}, hit rate ${(stats.hitRate * 100).toFixed(0)}%`);
console.log(
  `  hit latency p50 ${formatMs(stats.latency.hit.p50 ?? 0)}, miss latency p50 ${formatMs(stats.latency.miss.p50 ?? 0)}`,
);
console.log(
  `  saved ${formatMs(stats.savedMs)}, ${stats.savedTokens} tokens and ${formatUsd(stats.savedUsd)}`,
);
console.log('  (prices are per 1M tokens: Nova Lite input $0.06, output $0.24)');
