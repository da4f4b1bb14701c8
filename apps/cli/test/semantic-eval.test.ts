import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, errorLines, runCli, temporaryDirectory } from './run-cli.js';

afterAll(cleanUp);

// Clusters written for this test (not OSSChat): two paraphrase clusters and a negated twin.
const CLUSTERS = [
  [
    'How do I rotate the log files of nginx?',
    'How can I rotate nginx log files?',
    'nginx log rotation: how?',
  ],
  ['How do I enable gzip compression in Apache?', 'How can I turn on gzip compression in Apache?'],
  ['How do I disable gzip compression in Apache?', 'How can I switch off gzip compression in Apache?'],
];

describe('semantic-eval', () => {
  it('--json counts served right, served wrong and not served, offline', async () => {
    const file = join(temporaryDirectory(), 'clusters.json');
    writeFileSync(file, JSON.stringify(CLUSTERS));
    const run = await runCli(['semantic-eval', file, '--json'], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(Object.keys(result).sort()).toEqual([
      'falsePositives',
      'misses',
      'msPerLookup',
      'queries',
      'truePositives',
    ]);
    expect(result).toMatchObject({ queries: 3, falsePositives: 0 });
    expect(result.truePositives + result.misses).toBe(3);
    expect(result.truePositives).toBeGreaterThanOrEqual(1);
    expect(result.msPerLookup).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a file that is not a list of clusters, in one line, with exit code 2', async () => {
    const directory = temporaryDirectory();
    const notJson = join(directory, 'broken.json');
    writeFileSync(notJson, '{"clusters": [');
    const broken = await runCli(['semantic-eval', notJson]);
    expect(broken.code).toBe(2);
    expect(errorLines(broken)).toHaveLength(1);
    expect(broken.stderr).toMatch(/cannot read .* as JSON/);
    const wrongShape = join(directory, 'shape.json');
    writeFileSync(wrongShape, JSON.stringify({ clusters: [] }));
    const shape = await runCli(['semantic-eval', wrongShape]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toMatch(/a JSON list of clusters/);
  });
});
