import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPromptCache } from '@prompt-cache/core';
import { canonicalJson } from '@prompt-cache/core/store-kit';
import { createFileStore } from '@prompt-cache/store-file';
import { miss } from '../expect-hit.js';
import {
  type ConverseRequest,
  type ConverseResponse,
  converseRequest,
  converseResponse,
} from '../fixtures.js';
import { latencyTiming, measure } from '../measure.js';
import { describeSharing, valueSharing } from '../peers/value-sharing.js';
import { latencyRow, type Suite } from '../suite.js';

/**
 * Hit latency of the file store (one file per entry) on the hit-path fixtures (~1.5 KB answers), against
 * two floors: the key alone, and the key plus one `readFile` of the same entry file.
 */
export const fileStoreSuite: Suite = {
  id: 'file-store',
  title: 'File store hit latency (~2 KB Converse requests, ~1.5 KB answers)',
  async run(context) {
    const entries = context.tiny ? 10 : context.quick ? 200 : 1000;
    const directory = mkdtempSync(join(tmpdir(), 'prompt-cache-bench-file-'));
    try {
      const store = createFileStore({ directory });
      const cache = createPromptCache<ConverseRequest, ConverseResponse>({ store });
      const requests = Array.from({ length: entries }, (_, index) => converseRequest(index));
      for (const [index, request] of requests.entries())
        await cache.getOrCompute(request, async () => converseResponse(index));
      const paths = requests.map((request) => store.entryPath(cache.keyFor(request)));
      for (const index of [0, entries - 1]) {
        assert.deepEqual((await cache.getOrCompute(requests[index]!, miss)).value, converseResponse(index));
      }
      const sharing = await valueSharing(
        async () => (await cache.getOrCompute(requests[0]!, miss)).value,
        (value) => value.output.message,
      );

      let next = 0;
      const pick = () => next++ % entries;
      const results = await measure(
        {
          key: () => hash('sha256', canonicalJson(requests[pick()]), 'hex'),
          'key + readFile': () => {
            const index = pick();
            hash('sha256', canonicalJson(requests[index]), 'hex');
            return readFile(paths[index]!);
          },
          'prompt-cache': () => cache.getOrCompute(requests[pick()]!, miss),
        },
        latencyTiming(context),
      );
      await cache.close();

      const floor = results.get('key + readFile')!;
      const hit = results.get('prompt-cache')!;
      const ratio = hit.medianNs / floor.medianNs;
      const row = (label: string, name: string, note: string) =>
        latencyRow(label, results.get(name)!, floor, note);
      return {
        id: this.id,
        title: this.title,
        reference: 'the key plus one readFile of the same entry file',
        rows: [
          row('key alone: canonical JSON + SHA-256', 'key', ''),
          row('floor: key + fs.readFile of the entry file', 'key + readFile', 'the I/O a hit cannot avoid'),
          row(
            'prompt-cache getOrCompute (file store)',
            'prompt-cache',
            `${describeSharing(sharing)}; checks the CRC-32, refreshes the file's mtime (LRU)`,
          ),
        ],
        verdicts: [
          `file store hit: ${(hit.medianNs / 1000).toFixed(1)} µs, ${ratio.toFixed(2)}x key + readFile (the issue sets no target)`,
        ],
        notes: [
          `${entries.toLocaleString('en-US')} entries in a fresh temporary directory under ${tmpdir()}, removed ` +
            `after the run; default file store options.`,
        ],
      };
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
