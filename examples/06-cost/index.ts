// Module 6: cost. Prices are per 1M tokens. The course README said "$0.06 per 1K tokens" for Nova Lite:
// that figure is 1000 times too high. Here is the arithmetic with the real unit.
import { costBreakdown, costOf, savingsOf } from '@prompt-cache/pricing';

const usage = { inputTokens: 100, outputTokens: 200 };
const call = costOf('amazon.nova-lite-v1:0', usage)!;
console.log('One Nova Lite call, 100 input + 200 output tokens:');
console.log(
  `  100 x $0.06/1M + 200 x $0.24/1M = $${call.toFixed(6)}  (the course's per-1K figure said $0.054)`,
);

const savings = savingsOf({ costPerCallUsd: call, calls: 1000, hitRate: 0.8 });
console.log('\n1,000 such questions at an 80% hit rate:');
console.log(
  `  without a cache $${savings.withoutCacheUsd.toFixed(4)}, with it $${savings.withCacheUsd.toFixed(4)}`,
);
console.log(`  saved $${savings.savedUsd.toFixed(4)} (${(savings.savedFraction * 100).toFixed(0)}%)`);

console.log('\nThe same call on other models (per call, then per million calls):');
for (const model of [
  'amazon.nova-micro-v1:0',
  'amazon.nova-pro-v1:0',
  'anthropic.claude-sonnet-4-20250514-v1:0',
  'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
]) {
  const cost = costOf(model, usage)!;
  console.log(`  ${model.padEnd(50)} $${cost.toFixed(6)}  $${(cost * 1e6).toFixed(0).padStart(6)}`);
}

console.log("\nBedrock's own prompt cache bills cached prefix tokens at a lower price:");
const breakdown = costBreakdown('anthropic.claude-3-7-sonnet-20250219-v1:0', {
  inputTokens: 200,
  outputTokens: 300,
  cacheReadInputTokens: 4000,
})!;
console.log(
  `  4,000 cache-read tokens cost $${breakdown.cacheReadUsd.toFixed(6)} instead of $${((4000 * 3) / 1e6).toFixed(6)}`,
);
console.log(
  `  total $${breakdown.totalUsd.toFixed(6)} (input $${breakdown.inputUsd.toFixed(6)}, output $${breakdown.outputUsd.toFixed(6)})`,
);
console.log(
  `\nAn unknown model has no price: costOf('acme.unknown-v1') = ${costOf('acme.unknown-v1', usage)}`,
);
