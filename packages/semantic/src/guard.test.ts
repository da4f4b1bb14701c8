import { describe, expect, it } from 'vitest';
import { CONTRADICTION_PAIRS } from './contradiction-pairs.js';
import { decide } from './decision.js';
import { contradictionOf, entityRule, numberRule } from './guard.js';
import { SemanticIndex } from './semantic-index.js';
import { createUseLiteEmbedder } from './use-lite-embedder.js';

describe('contradiction guard', () => {
  it('refuses each written pair with the default embedder and rule, which would serve most of them unguarded', async () => {
    expect(CONTRADICTION_PAIRS.length).toBeGreaterThanOrEqual(30);
    const embedder = createUseLiteEmbedder();
    const texts = CONTRADICTION_PAIRS.flat();
    const vectors = await embedder.embed(texts);
    let served = 0;
    let servedUnguarded = 0;
    const refusals: string[] = [];
    CONTRADICTION_PAIRS.forEach(([cached, asked], pair) => {
      // The hardest case: the cached prompt alone in its partition, so no margin can help.
      const index = new SemanticIndex({ dimensions: embedder.dimensions });
      index.add('pair', { key: 'cached', text: cached, answer: 'cached' }, vectors[pair * 2]!);
      const scored = index.search('pair', index.prepare(asked, vectors[pair * 2 + 1]!));
      const decision = decide(asked, scored);
      if (decision.served) served++;
      else refusals.push(decision.reason);
      if (decide(asked, scored, { guardRules: [] }).served) servedUnguarded++;
    });
    expect(served).toBe(0);
    expect(servedUnguarded).toBeGreaterThanOrEqual(CONTRADICTION_PAIRS.length - 3);
    expect(refusals.every((reason) => reason.startsWith('guard') || reason.startsWith('below'))).toBe(true);
  }, 60_000);

  it('lets paraphrases through', () => {
    expect(
      contradictionOf('How can I use Milvus with LangChain?', 'how to use langchain with milvus'),
    ).toBeUndefined();
    expect(
      contradictionOf('Tips for using Unity 3D?', 'What are some tips for using Unity3D?'),
    ).toBeUndefined();
    expect(
      contradictionOf('Build a C library with VS2022', 'Build a C library with Visual Studio 2022'),
    ).toBeUndefined();
    expect(contradictionOf('How to configure logging?', 'How do I configure the logs?')).toBeUndefined();
    expect(contradictionOf('What Is The Best Way To Learn Rust?', 'best way to learn rust')).toBeUndefined();
    // A rhetorical "is it not true that X" asks whether X; a real negation inside X still counts.
    expect(
      contradictionOf('Is it not true that Zilliz maintains Attu?', 'Does Zilliz maintain Attu?'),
    ).toBeUndefined();
    expect(
      contradictionOf("Isn't it the case that Redis is single-threaded?", 'Is Redis single-threaded?'),
    ).toBeUndefined();
    expect(
      contradictionOf('Is it not true that Redis is not single-threaded?', 'Is Redis single-threaded?'),
    ).toBe('negation');
  });

  it('names each kind of contradiction', () => {
    expect(contradictionOf('Should I use an index?', 'Should I not use an index?')).toBe('negation');
    expect(contradictionOf('turn on dark mode', 'turn off dark mode')).toBe('opposite on/off');
    expect(numberRule('Milvus 2.2 release notes', 'Milvus 2.3 release notes')).toBe('number');
    expect(numberRule('login page with Flutter 3.7', 'login page with Flutter')).toBeUndefined();
    expect(entityRule('capital of austria', 'capital of australia')).toBe('entity austria/australia');
    expect(entityRule('Who founded Microsoft?', 'Who founded Apple?')).toBe('entity microsoft/apple');
  });
});
