import { hash } from 'node:crypto';
import type { BaseCache } from '@langchain/core/caches';
import { InMemoryCache } from '@langchain/core/caches';
import { type CacheStore, createPromptCache } from '@prompt-cache/core';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { createRedisStore } from '@prompt-cache/store-redis';
import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { type ConverseRequest, type ConverseResponse, imageRequest, textResponse } from '../fixtures.js';
import { answerText, chatModelFor, toLangChainMessages } from '../peers/langchain-messages.js';
import { createLangChainRedisCache } from '../peers/redis-peers.js';
import { redisMissingReason, withRedisServer } from '../redis-setup.js';
import { type Goal, type ResultRow, type Suite, verdictOf } from '../suite.js';

const ANSWER_CAT = 'A grey cat asleep on a keyboard.';
const ANSWER_DOG = 'A brown dog catching a frisbee.';

/** What one library answered for the second image. */
interface Verdict {
  label: string;
  right: boolean;
  got: string;
  note: string;
}

/**
 * The key a keyv or cache-manager user writes by hand: a digest of the whole request as JSON.
 * JSON.stringify writes a Uint8Array as an object of its bytes, so the bytes are in it.
 */
const handMadeKey = (request: ConverseRequest) => hash('sha256', JSON.stringify(request), 'hex');

/** Asks for the cat picture, then for the dog picture; the second answer must be the dog's. */
async function askBoth(ask: (request: ConverseRequest, answer: string) => Promise<string>) {
  await ask(imageRequest(1), ANSWER_CAT);
  const got = await ask(imageRequest(2), ANSWER_DOG);
  return { right: got === ANSWER_DOG, got };
}

async function langChainAsk(cache: BaseCache) {
  return askBoth(async (request, answer) => {
    const model = chatModelFor(request, { cache, respond: async () => answer });
    return String((await model.invoke(toLangChainMessages(request))).content);
  });
}

/**
 * Correctness beside speed: two requests that differ only in the bytes of an attached image (same size,
 * same format, same text) must not share an answer. Each library caches the first and is then asked the second.
 */
export const imageCorrectnessSuite: Suite = {
  id: 'image-correctness',
  title: 'Correctness: two requests that differ only in an image’s bytes',
  async run() {
    const verdicts: Verdict[] = [];
    const promptCacheAsk = (store: CacheStore) => {
      const cache = createPromptCache<ConverseRequest, ConverseResponse>({ store });
      return {
        ask: async (request: ConverseRequest, answer: string) =>
          answerText((await cache.getOrCompute(request, async () => textResponse(answer))).value),
        close: () => cache.close(),
      };
    };

    const memory = promptCacheAsk(createMemoryStore());
    verdicts.push({
      label: 'prompt-cache (memory store)',
      ...(await askBoth(memory.ask)),
      note: 'image bytes are hashed into the key (#bytes(length, sha256))',
    });
    await memory.close();

    const keyv = new Keyv<ConverseResponse>();
    verdicts.push({
      label: 'keyv (key: SHA-256 of JSON.stringify(request))',
      ...(await askBoth(async (request, answer) => {
        const key = handMadeKey(request);
        let response = await keyv.get(key);
        if (!response) {
          response = textResponse(answer);
          await keyv.set(key, response);
        }
        return answerText(response);
      })),
      note: 'right only because the hand-made key holds every byte; the library sees an opaque key',
    });

    const cacheManager = createCache();
    verdicts.push({
      label: 'cache-manager wrap (same hand-made key)',
      ...(await askBoth(async (request, answer) =>
        answerText(await cacheManager.wrap(handMadeKey(request), async () => textResponse(answer))),
      )),
      note: 'as keyv: the key is the user’s',
    });

    verdicts.push({
      label: 'LangChain chat model, InMemoryCache',
      ...(await langChainAsk(new InMemoryCache())),
      note: 'the prompt string renders every image as the text "[image]"',
    });

    const missing = redisMissingReason();
    if (!missing) {
      await withRedisServer(async (server) => {
        const redis = promptCacheAsk(createRedisStore({ url: server.url }));
        verdicts.push({
          label: 'prompt-cache (Redis store)',
          ...(await askBoth(redis.ask)),
          note: 'same key as in memory',
        });
        await redis.close();
        const langChainRedis = createLangChainRedisCache(server.url);
        verdicts.push({
          label: 'LangChain chat model, ioredis RedisCache',
          ...(await langChainAsk(langChainRedis.cache)),
          note: 'same prompt string, same "[image]"',
        });
        await langChainRedis.close();
      });
    }

    const rows: ResultRow[] = verdicts.map((verdict) => ({
      label: verdict.label,
      cells: {
        result: verdict.right ? 'right' : 'WRONG',
        got: verdict.right ? `its own answer` : `the other image's answer: "${verdict.got}"`,
      },
      note: verdict.note,
    }));
    const ours = verdicts.filter((verdict) => verdict.label.startsWith('prompt-cache'));
    const goals: Goal[] = [
      {
        goal: 'prompt-cache never serves one image’s answer for another',
        met: ours.every((verdict) => verdict.right),
        detail: ours.map((verdict) => `${verdict.label}: ${verdict.right ? 'right' : 'wrong'}`).join(', '),
      },
    ];
    return {
      id: this.id,
      title: this.title,
      columns: [
        { id: 'result', title: 'second request', format: 'text' },
        { id: 'got', title: 'answer served', format: 'text' },
        { id: 'note', title: 'why', format: 'text' },
      ],
      rows,
      goals,
      verdicts: goals.map(verdictOf),
      notes: [
        'Both requests ask "What is in this picture?" with a 4 KB PNG-like image of the same size and format; ' +
          'only the bytes differ. The first answer is cached, then the second request is made.' +
          (missing ? ` Redis rows skipped: ${missing}.` : ''),
      ],
    };
  },
};
