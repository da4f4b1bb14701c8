import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { type BedrockCacheOptions, cacheInfo, withPromptCache } from '@prompt-cache/bedrock';
import { createBedrockSimulator, DEFAULT_LATENCY } from '@prompt-cache/bedrock-simulator';
import { costOf } from '@prompt-cache/pricing';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { isolateAwsSdk } from '../aws-environment.js';
import { type Goal, type ResultRow, type Suite, skippedResult, verdictOf } from '../suite.js';
import { BENCH_DIRECTORY } from '../versions.js';

/** Where the dataset lives: `shared/` beside the repository, never a copy inside it. */
export const DATASET_PATH = resolve(
  BENCH_DIRECTORY,
  '..',
  '..',
  'shared',
  'datasets',
  'osschat',
  'cluster_user_questions.json',
);

const MODEL = 'amazon.nova-lite-v1:0';

/** The GPTCache results published with the dataset (its README), on the same protocol. */
const PUBLISHED: Array<{ label: string; truePositives: number; falsePositives: number; misses: number }> = [
  { label: 'GPTCache, albert-small (0.95), distance', truePositives: 170, falsePositives: 0, misses: 63 },
  { label: 'GPTCache, albert-small (0.5), distance', truePositives: 227, falsePositives: 6, misses: 0 },
  { label: 'GPTCache, albert-small (0.5), onnx', truePositives: 180, falsePositives: 3, misses: 50 },
  {
    label: 'GPTCache, albert-small (0.5), k-reciprocal (top 2)',
    truePositives: 218,
    falsePositives: 1,
    misses: 14,
  },
];

const MODES: Array<{ label: string; normalize: BedrockCacheOptions['normalize'] }> = [
  { label: 'prompt-cache, exact keys', normalize: false },
  { label: 'prompt-cache, normalize (trim, whitespace, case)', normalize: true },
  {
    label: 'prompt-cache, normalize + stripQuotes + stripTrailingPunctuation',
    normalize: { stripQuotes: true, stripTrailingPunctuation: true },
  },
];

interface Replay {
  truePositives: number;
  falsePositives: number;
  misses: number;
  /** USD the 233 questions cost with this cache, and without any. */
  costUsd: number;
  costWithoutCacheUsd: number;
  /** Model time the questions took with this cache, and without any (the simulator's default latency model). */
  modelMs: number;
  modelWithoutCacheMs: number;
}

/** The latency the simulator's realistic default model gives an answer (no jitter): computed, never slept. */
const nominalLatencyMs = (outputTokens: number) =>
  DEFAULT_LATENCY.firstTokenMs + DEFAULT_LATENCY.perTokenMs * outputTokens;

/**
 * Real user questions (OSSChat, 233 clusters of paraphrases) through the CLI's path: a BedrockRuntimeClient with
 * prompt-cache's middleware, answered by the Bedrock simulator (no latency). Every question of a cluster but the
 * first is asked (and cached); then the first question of every cluster is asked. A hit whose entry was written
 * by a question of the same cluster is a true positive, of another cluster a false positive; no hit is a miss.
 */
export const realQuestionsSuite: Suite = {
  id: 'real-questions',
  title: 'Real questions: OSSChat paraphrase clusters, exact and normalized keys',
  async run(context) {
    if (!existsSync(DATASET_PATH)) {
      return skippedResult(
        this,
        `the dataset is not at ${DATASET_PATH} (it is read from shared/ beside the repository, never copied into it)`,
      );
    }
    const all = JSON.parse(readFileSync(DATASET_PATH, 'utf8')) as string[][];
    const clusters = context.tiny ? all.slice(0, 12) : all;
    isolateAwsSdk();
    const simulator = createBedrockSimulator({ latency: 0 });
    const { url } = await simulator.listen({ host: '127.0.0.1', port: 0 });
    let replays: Replay[];
    try {
      // The modes are independent (each has its own client and store); within one, questions go in order.
      replays = await Promise.all(MODES.map((mode) => replay(url, clusters, mode.normalize)));
    } finally {
      await simulator.close();
    }

    const rows: ResultRow[] = replays.map((result, index) => ({
      label: MODES[index]!.label,
      cells: {
        truePositives: result.truePositives,
        falsePositives: result.falsePositives,
        misses: result.misses,
        savedUsd: result.costWithoutCacheUsd - result.costUsd,
        savedCost: 1 - result.costUsd / result.costWithoutCacheUsd,
        savedMs: result.modelWithoutCacheMs - result.modelMs,
      },
    }));
    if (!context.tiny) {
      for (const published of PUBLISHED) {
        rows.push({
          label: published.label,
          cells: {
            truePositives: published.truePositives,
            falsePositives: published.falsePositives,
            misses: published.misses,
          },
          note: 'published with the dataset (semantic matching), not run here',
        });
      }
    }
    const total = clusters.length;
    const worst = Math.max(...replays.map((result) => result.falsePositives));
    const goals: Goal[] = [
      {
        goal: 'no false positive with exact or normalized keys',
        met: worst === 0,
        detail: `${worst} at most`,
      },
    ];
    const last = replays[replays.length - 1]!;
    return {
      id: this.id,
      title: this.title,
      columns: [
        { id: 'truePositives', title: 'true positives', format: 'count' },
        { id: 'falsePositives', title: 'false positives', format: 'count' },
        { id: 'misses', title: 'misses', format: 'count' },
        { id: 'savedUsd', title: `saved (Nova Lite)`, format: 'usd' },
        { id: 'savedCost', title: 'of the cost', format: 'percent' },
        { id: 'savedMs', title: 'model time saved', format: 'ms' },
        { id: 'note', title: 'note', format: 'text' },
      ],
      rows,
      goals,
      verdicts: [
        ...goals.map(verdictOf),
        `normalized keys answer ${last.truePositives} of ${total} first questions from the cache; the README says ` +
          `exact match finds 0, folding case and whitespace 14, also dropping quotes and trailing punctuation 24`,
      ],
      notes: [
        `${total} clusters, ${clusters.reduce((sum, cluster) => sum + cluster.length, 0)} questions, read from ` +
          `shared/datasets/osschat (not copied into the repository). Each question is sent as the CLI sends a ` +
          `prompt (one user message, model ${MODEL}) through client.send(new ConverseCommand(...)) on a ` +
          `BedrockRuntimeClient with withPromptCache (memory store), against the Bedrock simulator with latency 0. ` +
          `An entry is attributed to the cluster of the question that wrote it; a hit serves that entry.`,
        `Savings are for the ${total} first questions: cost with costOf('${MODEL}', usage) from ` +
          `@prompt-cache/pricing, model time from the simulator's default latency model ` +
          `(${DEFAULT_LATENCY.firstTokenMs} ms to the first token + ${DEFAULT_LATENCY.perTokenMs} ms per output ` +
          `token, no jitter), computed rather than slept; a hit's own time is subtracted.`,
      ],
    };
  },
};

async function replay(
  endpoint: string,
  clusters: string[][],
  normalize: BedrockCacheOptions['normalize'],
): Promise<Replay> {
  const client = new BedrockRuntimeClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const cache = withPromptCache(client, { store: createMemoryStore({ maxEntries: 10_000 }), normalize });
  const ask = async (question: string) => {
    const response: ConverseCommandOutput = await client.send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: question }] }] }),
    );
    const info = cacheInfo(response);
    if (!info) throw new Error('[bench] the cached client returned a response the cache did not see');
    return { response, info };
  };
  try {
    /** Which cluster's question wrote each entry. */
    const writtenBy = new Map<string, number>();
    for (const [cluster, questions] of clusters.entries()) {
      for (const question of questions.slice(1)) {
        const { info } = await ask(question);
        if (info.status === 'miss' && info.stored) writtenBy.set(info.key, cluster);
      }
    }
    const result: Replay = {
      truePositives: 0,
      falsePositives: 0,
      misses: 0,
      costUsd: 0,
      costWithoutCacheUsd: 0,
      modelMs: 0,
      modelWithoutCacheMs: 0,
    };
    for (const [cluster, questions] of clusters.entries()) {
      const { response, info } = await ask(questions[0]!);
      const usage = info.meta.usage ?? response.usage ?? { inputTokens: 0, outputTokens: 0 };
      const fullCost = costOf(MODEL, usage) ?? 0;
      const fullMs = nominalLatencyMs(usage.outputTokens ?? 0);
      result.costWithoutCacheUsd += fullCost;
      result.modelWithoutCacheMs += fullMs;
      if (info.status === 'hit') {
        if (writtenBy.get(info.key) === cluster) result.truePositives++;
        else result.falsePositives++;
        result.modelMs += info.latencyMs;
      } else {
        result.misses++;
        result.costUsd += fullCost;
        result.modelMs += fullMs;
      }
    }
    return result;
  } finally {
    await cache.close();
    client.destroy();
  }
}
