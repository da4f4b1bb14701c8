// Exercise 3: choose a TTL per request.
//
// The course's TTL strategy: rapidly changing content 5-30 minutes; general Q&A and explanations 1-6 hours;
// static content and definitions 12-24 hours; pure calculations never expire (TTL 0).
// Write `ttlFor(prompt)` returning seconds:
//   - prompts about today's / current / latest things (news, prices, status, "today", "now")  -> 15 minutes
//   - definitions ("define ...", "what does ... mean")                                          -> 24 hours
//   - arithmetic (only digits, spaces and + - * / ( ) . =, optionally "what is")               -> 0 (never)
//   - everything else                                                                          -> 2 hours
// Then run:  pnpm exercise 03-ttl-and-stale-data
export function ttlFor(prompt: string): number {
  void prompt;
  throw new Error('Exercise 3: implement ttlFor in examples/03-ttl-and-stale-data/exercise.ts');
}
