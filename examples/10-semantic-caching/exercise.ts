// Exercise 10: a guard rule of your own for semantic matching.
//
// Semantic matching answers a paraphrase from the entry of the cached prompt it resembles, unless a guard rule
// finds a contradiction. The default rules know negations, opposites, undoing actions, numbers and named things,
// but not time: "What will the weather be in Paris tomorrow?" is served the answer cached for "... today?"
// (run `pnpm example 10-semantic-caching`, part 3). Write the missing rule.
//
// `timeRule(query, cached)` is a GuardRule from @prompt-cache/semantic: it returns why `cached`'s answer must not
// be served for `query`, or `undefined` when it finds no reason.
//
// 1. The times of a text (compare lower case, whole words only: "now" is not in "know", "today" is in "today's"):
//    - the words now, today, tonight, tomorrow, yesterday;
//    - the phrases this, next or last followed by week, month, year, weekend, morning or evening
//      ("next week", "this morning", "last year"): each phrase is one time, and its two words count only as
//      that phrase ("this" alone, or "week" alone, is no time).
// 2. When both texts name at least one time and their sets of times differ, return a reason that starts with
//    "time", e.g. "time tomorrow/today". When only one text names a time ("What will the weather be?" against
//    "... today?"), or both name the same ones (in any order or letter case), return undefined: not every
//    difference is a contradiction, and a rule that refuses too much serves nothing.
//
// The check proves your rule on given pairs: pairs the default guard serves wrongly must now be refused, and
// paraphrases must still be served, through a real semantic cache with the default offline embedder. Then run:
//   pnpm exercise 10-semantic-caching
import type { GuardRule } from '@prompt-cache/semantic';

export const timeRule: GuardRule = (query, cached) => {
  void query;
  void cached;
  throw new Error('Exercise 10: implement timeRule in examples/10-semantic-caching/exercise.ts');
};
