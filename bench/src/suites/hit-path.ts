import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { canonicalJson, createPromptCache } from '@prompt-cache/core';
import { createMemoryStore } from '@prompt-cache/store-memory';
import { converseRequest, converseResponse } from '../fixtures.js';
import { measure } from '../measure.js';
import type { Suite } from '../suite.js';

const ENTRIES = 1000;

/**
 * The hit path of the orchestrator with the memory store, against the physical floor: deriving the
 * key alone (canonical JSON + SHA-256 of the same request). Everything a hit adds beyond that floor
 * is the cache's own overhead: store lookup, copying the answer, stats.
 */
export const hitPathSuite: Suite = {
  id: 'hit-path',
  title: 'Hit path, memory store (1,000 Converse requests of ~2 KB, responses of ~1.5 KB)',
  async run({ quick }) {
    const requests = Array.from({ length: ENTRIES }, (_, index) => converseRequest(index));
    const cache = createPromptCache({ store: createMemoryStore({ maxEntries: ENTRIES }) });
    for (const [index, request] of requests.entries())
      await cache.getOrCompute(request, async () => converseResponse(index));

    // Correct before fast: each request gets its own answer, as a copy the caller may change.
    const miss = async (): Promise<never> => {
      throw new Error('the benchmark expected a hit');
    };
    for (const index of [0, 1, ENTRIES - 1]) {
      const first = await cache.getOrCompute(requests[index]!, miss);
      assert.deepEqual(first.value, converseResponse(index));
      (first.value as ReturnType<typeof converseResponse>).stopReason = 'changed by the caller';
      assert.deepEqual((await cache.getOrCompute(requests[index]!, miss)).value, converseResponse(index));
    }

    let next = 0;
    const pick = () => requests[next++ % ENTRIES]!;
    const results = await measure(
      {
        floor: () => hash('sha256', canonicalJson(pick()), 'hex'),
        'prompt-cache': () => cache.getOrCompute(pick(), miss),
      },
      { timeMs: quick ? 300 : 1500, rounds: quick ? 3 : 5 },
    );
    const floor = results.get('floor')!;
    const hit = results.get('prompt-cache')!;
    const ratio = hit.medianNs / floor.medianNs;
    return {
      id: this.id,
      title: this.title,
      reference: 'canonical JSON + SHA-256 of the request (the key alone)',
      rows: [
        {
          label: 'floor: canonical JSON + SHA-256',
          medianNs: floor.medianNs,
          opsPerSecond: floor.opsPerSecond,
          ratio: 1,
        },
        {
          label: 'prompt-cache getOrCompute (memory store)',
          medianNs: hit.medianNs,
          opsPerSecond: hit.opsPerSecond,
          ratio,
          note: 'returns a copy',
        },
      ],
      verdicts: [
        `hit path at ${ratio.toFixed(2)}x the floor (goal <= 1.30x): ${ratio <= 1.3 ? 'met' : 'NOT met'}`,
      ],
    };
  },
};
