import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, errorLines, runCli, temporaryDirectory } from './run-cli.js';

afterAll(cleanUp);

describe('warm', () => {
  it('warms new prompts, skips cached ones, reports failed lines by number', async () => {
    const directory = temporaryDirectory();
    const file = join(directory, 'prompts.jsonl');
    writeFileSync(
      file,
      [
        '"What is a TTL?"',
        '{"prompt": "What is Redis?"}',
        '# a comment',
        '{"messages":[{"role":"user","content":[{"text":"What is a cache key?"}]}]}',
        '{"prompt": ',
        'What is a cache hit?',
      ].join('\n'),
    );
    const args = ['warm', file, '--cache-dir', directory, '--provider', 'simulator', '--concurrency', '2'];
    const first = await runCli(args);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('with 4 prompts and 1 invalid line (2 at a time)');
    expect(first.stdout).toContain('warmed 4, already cached 0, failed 1 (of 4 prompts and 1 invalid line;');
    expect(first.stdout).toMatch(/ {2}line 5: not valid JSON/);
    expect(errorLines(first)).toEqual(['prompt-cache: 1 of 5 lines failed (listed above)']);

    const second = await runCli([...args, '--json']);
    expect(JSON.parse(second.stdout)).toMatchObject({
      total: 5,
      warmed: 0,
      alreadyCached: 4,
      failed: [{ line: 5 }],
    });

    const ask = await runCli([
      'ask',
      'What is Redis?',
      '--cache-dir',
      directory,
      '--provider',
      'simulator',
      '--json',
    ]);
    expect(JSON.parse(ask.stdout).cached).toBe(true);
  });

  it('a file of good lines exits 0', async () => {
    const directory = temporaryDirectory();
    const file = join(directory, 'prompts.jsonl');
    writeFileSync(file, '"One"\n"Two"\n');
    const run = await runCli(['warm', file, '--cache-dir', directory, '--provider', 'simulator', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ total: 2, warmed: 2, alreadyCached: 0, failed: [] });
    writeFileSync(file, '"Only one"\n');
    const one = await runCli(['warm', file, '--cache-dir', directory, '--provider', 'simulator']);
    expect(one.stdout).toContain('with 1 prompt (4 at a time)');
  });

  it.each([
    [['missing.jsonl'], /cannot read .*missing\.jsonl \(ENOENT\)/],
    [['empty.jsonl'], /has no prompts/],
    [['empty.jsonl', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 64/],
  ])('%j is a usage error', async (args, message) => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'empty.jsonl'), '\n# nothing\n');
    const run = await runCli(['warm', ...args, '--cache-dir', directory], { cwd: directory });
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual([expect.stringMatching(message)]);
  });
});
