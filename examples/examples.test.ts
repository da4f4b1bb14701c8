import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every example of the course runs as a smoke test, so the course never rots.
const root = import.meta.dirname;
const examples = readdirSync(root)
  .filter((name) => /^\d\d-/.test(name) && existsSync(join(root, name, 'index.ts')))
  .sort();

/** A line each example must print, so a silent failure cannot pass. */
const expected: Record<string, RegExp> = {
  '01-first-cache': /hits 3, misses 3, hit rate 50%/,
  '02-key-design': /left out of the key: requestMetadata/,
  '03-ttl-and-stale-data': /v2 lookup: miss/,
  '04-persistence': /prune\(\) removed 3 expired entries/,
  // Without redis-server the example prints how to install it, and is skipped.
  '05-distributed-caching': /model calls: 1, answers: 10 \(all identical\)|example 05 is SKIPPED/,
  '06-cost': /\$0\.000054/,
  '07-bedrock': /same input again\s+HIT/,
  '08-production': /the same request over plain HTTP \(curl\): x-prompt-cache: hit/,
  '09-ai-sdk': /hits 2, misses 2; model calls: 2/,
  '09-keyv': /model calls: 1\n[\s\S]*\{"name":"Ada","plan":"pro"\}/,
  '09-langchain': /a red pixel, then a blue one: simulator calls 4 \(each image asked once\)/,
  '10-semantic-caching':
    /SEMANTIC HIT 0\.\d\d +"How can I configure the log retention period of a Milvus server\?"/,
};

describe('course examples', () => {
  it.each(examples)('%s runs to completion', (name) => {
    const output = execFileSync(
      process.execPath,
      ['--conditions=@prompt-cache/source', '--import', 'tsx', 'run-example.ts', name],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, PROMPT_CACHE_FAST_EXAMPLES: '1' },
        timeout: 60_000,
      },
    );
    expect(output).toMatch(expected[name] ?? /./);
  });
});

// A learner runs `pnpm exercise <name>` before writing anything: the check must fail with the exercise's own
// "Exercise N: implement …" message, and nothing else (no error of the check's own making).
const exercises = readdirSync(root)
  .filter((name) => existsSync(join(root, name, 'exercise.test.ts')))
  .sort();

describe('exercise checks against the untouched exercise files', () => {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('VITEST')) env[name] = value;
  it.each(exercises)('%s fails with its own message only', (name) => {
    const run = spawnSync(process.execPath, ['run-exercise.mjs', name], {
      cwd: root,
      encoding: 'utf8',
      env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
      timeout: 90_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status, output).toBe(1);
    expect(output).toMatch(
      new RegExp(`Exercise ${Number(name.slice(0, 2))}: implement \\w+ in examples/${name}/exercise\\.ts`),
    );
    expect(output).not.toMatch(/TypeError|ReferenceError|Cannot read properties/);
  });
});
