import { InvalidOptionError } from '@prompt-cache/core';
import { type DecisionOptions, decide } from './decision.js';
import type { Embedder } from './embedder.js';
import { type ScoredPrompt, SemanticIndex, type SemanticIndexOptions } from './semantic-index.js';
import { createUseLiteEmbedder } from './use-lite-embedder.js';

/** What {@link evaluateClusters} counts. */
export interface ClusterEvaluation {
  /** Queries served their own cluster's answer. */
  truePositives: number;
  /** Queries served another cluster's answer: wrong answers. */
  falsePositives: number;
  /** Queries not served. */
  misses: number;
  queries: number;
  /** Mean time of one lookup (embedding, scoring and the rule), in milliseconds. */
  msPerLookup: number;
  /** Each wrong answer: the query and the prompt whose answer it was given. */
  wrong: { query: string; matched: string; score: number }[];
}

/** Options of {@link evaluateClusters}. */
export interface ClusterEvaluationOptions extends DecisionOptions {
  /** Default: the offline default embedder. */
  embedder?: Embedder;
  /** Only clusters whose index passes (to tune on one half and test on the other). Default: all. */
  include?: (clusterIndex: number) => boolean;
}

/** The candidates of every asked question, scored once: the decision rule can then be replayed with any settings. */
export interface ScoredClusters {
  queries: { cluster: number; query: string; scored: ScoredPrompt[]; ms: number }[];
}

/**
 * Caches every question of a cluster but the first (its answer names its cluster) and scores the first question
 * of each cluster against them, with GPTCache's protocol (OSSChat's format).
 */
export async function scoreClusters(
  clusters: unknown,
  embedder: Embedder = createUseLiteEmbedder(),
  indexOptions: Omit<SemanticIndexOptions, 'dimensions'> = {},
): Promise<ScoredClusters> {
  const list = validClusters(clusters);
  const index = new SemanticIndex({ ...indexOptions, dimensions: embedder.dimensions });
  const cached = list.flatMap((questions, cluster) =>
    questions.slice(1).map((text, position) => ({ text, cluster, key: `${cluster}:${position}` })),
  );
  const cachedVectors = await embedder.embed(cached.map(({ text }) => text));
  cached.forEach(({ text, cluster, key }, position) => {
    index.add('clusters', { key, text, answer: String(cluster) }, cachedVectors[position]!);
  });
  const queries: ScoredClusters['queries'] = [];
  for (const [cluster, questions] of list.entries()) {
    const query = questions[0]!;
    const started = performance.now();
    const [vector] = await embedder.embed([query]);
    const scored = index.search('clusters', index.prepare(query, vector!));
    queries.push({ cluster, query, scored, ms: performance.now() - started });
  }
  return { queries };
}

/** Applies the decision rule to scored clusters and counts served right, served wrong and not served. */
export function countDecisions(
  scoredClusters: ScoredClusters,
  options: ClusterEvaluationOptions = {},
): ClusterEvaluation {
  const result: ClusterEvaluation = {
    truePositives: 0,
    falsePositives: 0,
    misses: 0,
    queries: 0,
    msPerLookup: 0,
    wrong: [],
  };
  let elapsed = 0;
  for (const { cluster, query, scored, ms } of scoredClusters.queries) {
    if (options.include && !options.include(cluster)) continue;
    const started = performance.now();
    const decision = decide(query, scored, options);
    elapsed += ms + performance.now() - started;
    result.queries++;
    if (!decision.served) result.misses++;
    else if (decision.served.answer === String(cluster)) result.truePositives++;
    else {
      result.falsePositives++;
      result.wrong.push({ query, matched: decision.served.text, score: decision.served.score });
    }
  }
  result.msPerLookup = result.queries === 0 ? 0 : elapsed / result.queries;
  return result;
}

/**
 * Replays a cluster file with the GPTCache protocol (OSSChat's format): every question of a cluster but the first
 * is cached with an answer naming its cluster, then the first question of each cluster is asked.
 */
export async function evaluateClusters(
  clusters: unknown,
  options: ClusterEvaluationOptions = {},
): Promise<ClusterEvaluation> {
  return countDecisions(await scoreClusters(clusters, options.embedder), options);
}

function validClusters(clusters: unknown): string[][] {
  const valid =
    Array.isArray(clusters) &&
    clusters.every(
      (cluster) =>
        Array.isArray(cluster) && cluster.length > 0 && cluster.every((text) => typeof text === 'string'),
    );
  if (!valid) {
    throw new InvalidOptionError(
      '[semantic] a cluster file is a JSON list of clusters, each a non-empty list of question strings',
    );
  }
  return clusters as string[][];
}
