// A second process for redis-index.test.ts:
//   node --conditions=@prompt-cache/source --import tsx test/shared-index-worker.ts '<target JSON>' <keyPrefix> <ms>
// It loads the shared index, prints "ready", then asks a paraphrase (never computing an answer) until a semantic
// hit or the deadline, and prints the result as JSON.
import { openSharedIndexCache, paraphrase, type RedisTarget } from './shared-index-cache.ts';

const [targetText, keyPrefix, deadlineText] = process.argv.slice(2);
if (!targetText || !keyPrefix || !deadlineText) {
  throw new Error('usage: shared-index-worker <target JSON> <keyPrefix> <ms>');
}
const { stage, cache, errors, close } = openSharedIndexCache(
  JSON.parse(targetText) as RedisTarget,
  keyPrefix,
);
await stage.ready;
process.stdout.write('ready\n');

const deadline = Date.now() + Number(deadlineText);
let outcome: unknown = { status: 'timeout' };
while (Date.now() < deadline) {
  try {
    const result = await cache.getOrCompute(paraphrase, async () => {
      throw new Error('not cached yet');
    });
    outcome = { status: result.status, value: result.value, semantic: result.semantic };
    break;
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
process.stdout.write(`${JSON.stringify({ ...(outcome as object), errors })}\n`);
await close();
