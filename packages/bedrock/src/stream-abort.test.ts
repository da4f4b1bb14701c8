import { ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { collect, converseInput, countingStore, createTestClient, startSimulator } from '../test/helpers.js';
import { cacheInfo } from './cache-info.js';
import { withPromptCache } from './with-prompt-cache.js';

/** Reads the result of a stream: its events, and the error that ended it, if any. */
async function readAll(
  stream: AsyncIterable<ConverseStreamOutput> | undefined,
): Promise<{ events: ConverseStreamOutput[]; error: unknown }> {
  const events: ConverseStreamOutput[] = [];
  try {
    for await (const event of stream ?? []) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

describe('a shared stream whose leader aborts', () => {
  it('never ends a follower with a silently truncated answer', async () => {
    const slow = await startSimulator({ latency: { firstTokenMs: 0, perTokenMs: 10, jitter: 0 } });
    const client = createTestClient(slow.url);
    const store = countingStore();
    try {
      withPromptCache(client, { store });
      const input = converseInput('a long answer that the first caller abandons');
      const leaderAbort = new AbortController();
      const leader = await client.send(new ConverseStreamCommand(input), {
        abortSignal: leaderAbort.signal,
      });
      const follower = await client.send(new ConverseStreamCommand(input));
      expect(cacheInfo(follower)?.coalesced).toBe(true);
      for await (const _event of leader.stream!) {
        leaderAbort.abort();
        break;
      }
      const { events, error } = await readAll(follower.stream);
      const complete = events.at(-1)?.metadata !== undefined;
      // The whole answer, or an error the follower sees: never a clean end after a cut.
      expect(complete || error !== undefined).toBe(true);
      if (!complete) expect(String((error as Error).message)).toMatch(/abort|cancel|interrupt/i);
      expect(await store.entries()).toBe(complete ? 1 : 0);
    } finally {
      client.destroy();
      await slow.close();
    }
  });

  it('gives a follower that arrives after the abort a whole answer of its own', async () => {
    const slow = await startSimulator({ latency: { firstTokenMs: 0, perTokenMs: 10, jitter: 0 } });
    const client = createTestClient(slow.url);
    try {
      withPromptCache(client, { store: countingStore() });
      const input = converseInput('a second long answer that the first caller abandons');
      const leaderAbort = new AbortController();
      const leader = await client.send(new ConverseStreamCommand(input), {
        abortSignal: leaderAbort.signal,
      });
      for await (const _event of leader.stream!) {
        leaderAbort.abort();
        break;
      }
      const follower = await client.send(new ConverseStreamCommand(input));
      const events = await collect(follower.stream);
      expect(events.at(-1)?.metadata).toBeDefined();
      expect((await cacheInfo(follower)!.settled).stored).toBe(true);
    } finally {
      client.destroy();
      await slow.close();
    }
  });
});
