import assert from 'node:assert/strict';
import type { LanguageModelV3GenerateResult, LanguageModelV3Middleware } from '@ai-sdk/provider';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { ChatBedrockConverse } from '@langchain/aws';
import { InMemoryCache } from '@langchain/core/caches';
import { type BaseMessage, getBufferString } from '@langchain/core/messages';
import { keyMaterialOf, promptCacheMiddleware } from '@prompt-cache/ai-sdk';
import { cacheInfo, withPromptCache } from '@prompt-cache/bedrock';
import { createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { PromptCacheLangChainCache } from '@prompt-cache/langchain';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { generateText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { isolateAwsSdk } from '../aws-environment.js';
import { miss } from '../expect-hit.js';
import { type ConverseRequest, converseRequest, converseResponse } from '../fixtures.js';
import { latencyTiming, measure } from '../measure.js';
import { answerText, toLangChainMessages } from '../peers/langchain-messages.js';
import { type Goal, latencyRow, type ResultRow, type Suite, verdictOf } from '../suite.js';
import { installedVersion } from '../versions.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The fixture's Converse request as the AI SDK call a user would write. */
function aiSdkCall(request: ConverseRequest) {
  return {
    system: request.system.map((block) => block.text).join('\n'),
    messages: request.messages.map((message) => ({
      role: message.role,
      content: message.content.map((block) => ('text' in block ? block.text : '')).join(''),
    })),
    temperature: request.inferenceConfig.temperature,
    maxOutputTokens: request.inferenceConfig.maxTokens,
    topP: request.inferenceConfig.topP,
  };
}

/** A model answer as a provider hands it to the AI SDK: text, usage, a Date, provider metadata. */
function generateResult(text: string): LanguageModelV3GenerateResult {
  return {
    content: [{ type: 'text', text }],
    finishReason: { unified: 'stop', raw: 'end_turn' },
    usage: {
      inputTokens: { total: 512, noCache: 512, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 330, text: 330, reasoning: undefined },
    },
    providerMetadata: { bedrock: { stopSequence: null } },
    response: {
      id: 'response-0',
      timestamp: new Date('2026-01-02T03:04:05.678Z'),
      modelId: 'amazon.nova-lite-v1:0',
    },
    warnings: [],
  };
}

/**
 * The AI SDK's caching recipe (its "Caching Responses" page) with a Map in place of Redis, as its docs suggest for
 * local use: `JSON.stringify(params)` as the key, the stored result handed back with its timestamp made a Date again.
 */
function aiSdkRecipe(): LanguageModelV3Middleware {
  const cache = new Map<string, LanguageModelV3GenerateResult>();
  return {
    specificationVersion: 'v3',
    wrapGenerate: async ({ doGenerate, params }) => {
      const cacheKey = JSON.stringify(params);
      const cached = cache.get(cacheKey);
      if (cached !== undefined) {
        return {
          ...cached,
          response: {
            ...cached.response,
            timestamp: cached.response?.timestamp ? new Date(cached.response.timestamp) : undefined,
          },
        };
      }
      const result = await doGenerate();
      cache.set(cacheKey, result);
      return result;
    },
  };
}

/**
 * What each framework adapter costs on a hit, against our bare hit path for the same answer: `getOrCompute` on the
 * adapter's own cache, with the same key material, from the same memory store. Beside them, each framework's own
 * in-memory cache: the AI SDK's documented recipe (a Map) and LangChain's `InMemoryCache`.
 */
export const adaptersSuite: Suite = {
  id: 'adapters',
  title: 'Framework adapters: a cached generateText (AI SDK) and a cached chat.invoke (LangChain)',
  async run(context) {
    isolateAwsSdk();
    const request = converseRequest(0);
    const answer = answerText(converseResponse(0));

    // --- AI SDK: the same mock model (ai/test) behind our middleware and behind the recipe. ---
    const model = new MockLanguageModelV3({
      provider: 'amazon-bedrock',
      modelId: request.modelId,
      doGenerate: async () => generateResult(answer),
    });
    const middleware = promptCacheMiddleware({ store: createMemoryStore() });
    const cachedModel = wrapLanguageModel({ model, middleware });
    const recipeModel = wrapLanguageModel({ model, middleware: aiSdkRecipe() });
    const call = aiSdkCall(request);
    const first = await generateText({ model: cachedModel, ...call });
    await generateText({ model: recipeModel, ...call });
    // The options generateText handed the model: the key material of this very call.
    const params = model.doGenerateCalls[0]!;
    const material = keyMaterialOf({ operation: 'generate', params, model });

    // --- LangChain: the real ChatBedrockConverse, answered once by the simulator, then from each cache. ---
    const simulator = createBedrockSimulator({ latency: 0 });
    const { url } = await simulator.listen({ port: 0 });
    const clients: BedrockRuntimeClient[] = [];
    const clientFor = () => {
      const client = new BedrockRuntimeClient({
        endpoint: url,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    };
    const chat = (fields: {
      cache?: PromptCacheLangChainCache | InMemoryCache;
      client: BedrockRuntimeClient;
    }) =>
      new ChatBedrockConverse({
        model: request.modelId,
        region: 'us-east-1',
        credentials,
        temperature: request.inferenceConfig.temperature,
        maxTokens: request.inferenceConfig.maxTokens,
        topP: request.inferenceConfig.topP,
        ...fields,
      });
    try {
      const messages: BaseMessage[] = toLangChainMessages(request);
      const ourCache = new PromptCacheLangChainCache({ store: createMemoryStore() });
      const withOurCache = chat({ cache: ourCache, client: clientFor() });
      const withInMemoryCache = chat({ cache: new InMemoryCache(), client: clientFor() });
      const wrappedClient = clientFor();
      withPromptCache(wrappedClient, { store: createMemoryStore() });
      const throughClient = chat({ client: wrappedClient });
      const converseInput = {
        modelId: request.modelId,
        system: request.system,
        messages: request.messages,
        inferenceConfig: request.inferenceConfig,
      };
      const misses = {
        ours: await withOurCache.invoke(messages),
        inMemory: await withInMemoryCache.invoke(messages),
        client: await throughClient.invoke(messages),
        send: await wrappedClient.send(new ConverseCommand(converseInput)),
      };
      // The two strings BaseChatModel.generate() hands to cache.lookup().
      const prompt = getBufferString(messages);
      const llmKey = withOurCache._getSerializedCacheKeyParametersForCall({});

      // Correct before fast: every hit is the first answer, and no hit reaches a model.
      const modelCalls = model.doGenerateCalls.length;
      const upstreamCalls = simulator.calls.length;
      const hits = {
        generateText: await generateText({ model: cachedModel, ...call }),
        recipe: await generateText({ model: recipeModel, ...call }),
        ours: await withOurCache.invoke(messages),
        inMemory: await withInMemoryCache.invoke(messages),
        client: await throughClient.invoke(messages),
        send: await wrappedClient.send(new ConverseCommand(converseInput)),
      };
      assert.equal(model.doGenerateCalls.length, modelCalls, 'an AI SDK hit reached the model');
      assert.equal(simulator.calls.length, upstreamCalls, 'a LangChain hit reached the simulator');
      assert.equal(hits.generateText.text, first.text, 'generateText: wrong answer from our middleware');
      assert.ok(hits.generateText.response.timestamp instanceof Date, 'generateText: timestamp not a Date');
      assert.equal(hits.recipe.text, answer, 'generateText: wrong answer from the recipe');
      for (const name of ['ours', 'inMemory', 'client'] as const)
        assert.equal(hits[name].content, misses[name].content, `chat.invoke (${name}): wrong answer`);
      assert.equal(cacheInfo(hits.send)?.status, 'hit', 'client.send: the Converse call was not a hit');
      const bareAiSdk = await middleware.cache.getOrCompute(material, miss);
      assert.equal(bareAiSdk.status, 'hit', 'the bare AI SDK read missed: the key material differs');
      assert.equal((await ourCache.cache.getOrCompute({ prompt, llmKey }, miss)).status, 'hit');

      const results = await measure(
        {
          'ai-bare': () => middleware.cache.getOrCompute(material, miss),
          'ai-middleware': () => cachedModel.doGenerate(params),
          'ai-generateText': () => generateText({ model: cachedModel, ...call }),
          'ai-recipe-middleware': () => recipeModel.doGenerate(params),
          'ai-recipe-generateText': () => generateText({ model: recipeModel, ...call }),
          'lc-bare': () => ourCache.cache.getOrCompute({ prompt, llmKey }, miss),
          'lc-lookup': () => ourCache.lookup(prompt, llmKey),
          'lc-invoke': () => withOurCache.invoke(messages),
          'lc-in-memory-invoke': () => withInMemoryCache.invoke(messages),
          'lc-client-invoke': () => throughClient.invoke(messages),
          'lc-client-send': () => wrappedClient.send(new ConverseCommand(converseInput)),
        },
        latencyTiming(context),
      );
      const timed = (name: string) => results.get(name)!;
      const aiBare = timed('ai-bare');
      const lcBare = timed('lc-bare');
      const ai = (label: string, name: string, note: string) => latencyRow(label, timed(name), aiBare, note);
      const lc = (label: string, name: string, note: string) => latencyRow(label, timed(name), lcBare, note);
      const aiVersion = `ai ${installedVersion('ai')}`;
      const rows: ResultRow[] = [
        ai('AI SDK bare hit: getOrCompute of the same entry', 'ai-bare', 'reference for the AI SDK rows'),
        ai(
          'AI SDK: our middleware hit (wrapped model doGenerate)',
          'ai-middleware',
          'key + store read + copy + Dates restored',
        ),
        ai(
          `AI SDK: cached generateText, our middleware (${aiVersion})`,
          'ai-generateText',
          'the call a user makes',
        ),
        ai(
          'AI SDK recipe (Map, JSON.stringify key): doGenerate',
          'ai-recipe-middleware',
          'hands out its stored object; no copy, no hash',
        ),
        ai('AI SDK recipe (Map): cached generateText', 'ai-recipe-generateText', 'the call a user makes'),
        lc(
          'LangChain bare hit: getOrCompute of the same entry',
          'lc-bare',
          'reference for the LangChain rows',
        ),
        lc('LangChain: our BaseCache lookup', 'lc-lookup', 'copy + deserializeStoredGeneration'),
        lc(
          `LangChain: cached chat.invoke, our BaseCache (@langchain/aws ${installedVersion('@langchain/aws')})`,
          'lc-invoke',
          'ChatBedrockConverse({ cache })',
        ),
        lc(
          `LangChain: cached chat.invoke, InMemoryCache (@langchain/core ${installedVersion('@langchain/core')})`,
          'lc-in-memory-invoke',
          "LangChain's own cache, its own key",
        ),
        lc(
          'LangChain: cached chat.invoke, withPromptCache client (recommended)',
          'lc-client-invoke',
          'the hit is served inside client.send; invoke and stream both cached',
        ),
        lc(
          'Converse hit through the withPromptCache client alone (context)',
          'lc-client-send',
          'the same hit without LangChain around it',
        ),
      ];

      const middlewareRatio = timed('ai-middleware').medianNs / aiBare.medianNs;
      const lookupRatio = timed('lc-lookup').medianNs / lcBare.medianNs;
      const generateTextRatio = timed('ai-generateText').medianNs / timed('ai-recipe-generateText').medianNs;
      const invokeRatio = timed('lc-invoke').medianNs / timed('lc-in-memory-invoke').medianNs;
      const goals: Goal[] = [
        {
          goal: 'AI SDK middleware hit within 2x of our bare hit path',
          met: middlewareRatio <= 2,
          detail: `${middlewareRatio.toFixed(2)}x`,
        },
        {
          goal: 'LangChain cache lookup within 2x of our bare hit path',
          met: lookupRatio <= 2,
          detail: `${lookupRatio.toFixed(2)}x`,
        },
      ];
      return {
        id: this.id,
        title: this.title,
        reference: "our bare getOrCompute hit of the same entry, per adapter (each section's first row)",
        rows,
        goals,
        verdicts: [
          ...goals.map(verdictOf),
          `cached generateText with our middleware at ${generateTextRatio.toFixed(2)}x the AI SDK recipe's; ` +
            `cached chat.invoke with our BaseCache at ${invokeRatio.toFixed(2)}x InMemoryCache's`,
        ],
        notes: [
          'Each ratio is against the first row of its section: getOrCompute on the adapter\u2019s own cache, for the ' +
            'same key material and the same memory store, which is what the adapter does minus the framework. ' +
            'Every hit was checked against the first answer before timing, and no hit reached the model (AI SDK: ' +
            'a mock model from ai/test; LangChain: the real ChatBedrockConverse, answered once by the simulator).',
          'The AI SDK recipe is the middleware from its "Caching Responses" page with a Map in place of Redis: its ' +
            'key is JSON.stringify(params) and it hands out the object it stored, so a caller that changes a result ' +
            'changes the cache; ours hashes a canonical key (file bytes hashed), and copies. Most of a cached ' +
            'generateText or chat.invoke is the framework itself (prompt conversion, callbacks, result objects).',
        ],
        chart: {
          title: 'Median time per cached call (lower is better)',
          unit: 'ns',
          bars: (
            [
              ['AI SDK bare hit', 'ai-bare'],
              ['AI SDK middleware hit', 'ai-middleware'],
              ['generateText, our middleware', 'ai-generateText'],
              ['generateText, recipe (Map)', 'ai-recipe-generateText'],
              ['chat.invoke, our BaseCache', 'lc-invoke'],
              ['chat.invoke, InMemoryCache', 'lc-in-memory-invoke'],
              ['chat.invoke, withPromptCache client', 'lc-client-invoke'],
            ] as const
          ).map(([label, name]) => ({
            label,
            value: timed(name).medianNs,
            highlight: name === 'ai-middleware' || name === 'lc-invoke' || name === 'lc-client-invoke',
          })),
        },
      };
    } finally {
      for (const client of clients) client.destroy();
      await simulator.close();
    }
  },
};
