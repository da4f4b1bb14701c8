import { contradictionOf, DEFAULT_GUARD_RULES, type GuardRule } from './guard.js';
import type { ScoredPrompt } from './semantic-index.js';

/** The rule that decides whether the best candidate may answer. */
export interface DecisionOptions {
  /** Lowest combined score served. Default `0.5`. */
  threshold?: number;
  /** How far the best must lead the best candidate with a different answer. Default `0.05`. */
  margin?: number;
  /** Contradiction rules; `[]` turns the guard off (not advised). Default {@link DEFAULT_GUARD_RULES}. */
  guardRules?: readonly GuardRule[];
}

/** One candidate and what the rule made of it. */
export interface CandidateVerdict extends ScoredPrompt {
  /** `served`, or why not: `not the best`, `below threshold 0.50`, `margin 0.03 < 0.05 ...`, `guard: negation`. */
  verdict: string;
}

/** What the rule decided for one query. */
export interface Decision {
  /** The candidate that answers, when one does. */
  served?: ScoredPrompt;
  /** Why nothing was served (or `served`). */
  reason: string;
  /** Lead of the best over the best candidate with a different answer (`Infinity` without one). */
  lead: number;
  candidates: CandidateVerdict[];
}

export const DEFAULT_THRESHOLD = 0.5;
export const DEFAULT_MARGIN = 0.05;

/**
 * Serve the best candidate only when its score clears the threshold, it leads every candidate with a different
 * answer by the margin, and no guard rule finds a contradiction between the two prompts. The best candidate is
 * never swapped for the next one: if the nearest prompt is refused, the query is too.
 */
export function decide(
  query: string,
  scored: readonly ScoredPrompt[],
  options: DecisionOptions = {},
): Decision {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const margin = options.margin ?? DEFAULT_MARGIN;
  const rules = options.guardRules ?? DEFAULT_GUARD_RULES;
  const [best, ...rest] = scored;
  if (!best) return { reason: 'no cached prompt in this partition', lead: 0, candidates: [] };
  const rival = rest.find((candidate) => candidate.answer !== best.answer);
  const lead = rival ? best.score - rival.score : Number.POSITIVE_INFINITY;
  let reason = 'served';
  if (best.score < threshold) reason = `below threshold ${best.score.toFixed(3)} < ${threshold}`;
  else if (lead < margin)
    reason = `margin ${lead.toFixed(3)} < ${margin} over "${rival!.text}", which has a different answer`;
  else {
    const contradiction = contradictionOf(query, best.text, rules);
    if (contradiction) reason = `guard: ${contradiction}`;
  }
  const candidates = scored.map((candidate, index) => ({
    ...candidate,
    verdict:
      index === 0 ? reason : candidate.answer === best.answer ? 'same answer as the best' : 'not the best',
  }));
  return { served: reason === 'served' ? best : undefined, reason, lead, candidates };
}
