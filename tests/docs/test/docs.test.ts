import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BedrockSimulator, createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { findFreePort, type RedisServerHandle, startRedisServer } from '@prompt-cache/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeBlock, codeBlocks, documentationPages, shellCommands } from './markdown-blocks.ts';
import { type Finished, groupAlive, groupEnded, killGroup, run, type Started, start } from './processes.ts';
import { type Program, programsOf, programText, sourceLine } from './programs.ts';

// Every code block a reader copies runs: see markdown-blocks.ts for what each info string promises.
const root = resolve(import.meta.dirname, '../../..');
const generated = resolve(import.meta.dirname, '../.generated');
const require = createRequire(import.meta.url);
const pages = documentationPages(root);
const blocks = pages.flatMap((page) => codeBlocks(root, page));
const programs = pages.flatMap((page) => programsOf(blocks.filter((block) => block.file === page)));
const coursePages = pages.filter((page) => page.startsWith('docs/course/'));

/** The address the documentation uses for Redis; the test's own server stands in for it. */
const DOCUMENTED_REDIS_URL = 'redis://127.0.0.1:6379';
/** "Cannot find name", and its shorthand-property form. */
const FORGIVEN_IN_FRAGMENTS = new Set(['TS2304', 'TS18004']);

const scratch = mkdtempSync(join(tmpdir(), 'prompt-cache-docs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A reader's environment: no AWS credentials or settings of this machine, a HOME of its own, no colour. */
function readerEnvironment(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|VITEST|npm_|PROMPT_CACHE_|NODE_OPTIONS$|FORCE_COLOR$)/.test(name)) env[name] = value;
  }
  return {
    ...env,
    HOME: home,
    NO_COLOR: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The commands as written, only quicker: the simulator answers at once, the examples' stand-in models too.
    PROMPT_CACHE_SIMULATOR_LATENCY_MS: '0',
    PROMPT_CACHE_FAST_EXAMPLES: '1',
  };
}

describe('the documentation', () => {
  it('marks every block it cannot run, and has blocks to check', () => {
    expect(programs.filter((program) => program.runnable).length).toBeGreaterThan(8);
    expect(coursePages.length).toBeGreaterThan(8);
    // The blocks that are not run as they stand, listed, so that a new exception is a visible change.
    const exceptions = blocks
      .filter((block) => block.kind === 'fragment' || block.kind === 'server')
      .map((block) => `${block.file} ${block.kind}`);
    expect(exceptions).toEqual([
      'packages/bedrock/README.md fragment', // placeCachePoints on the reader's own manual and tools
      'packages/core/README.md fragment', // the contract suite runs inside vitest, on the reader's store
      'packages/pricing/README.md fragment', // the reader's price file and logger
      'packages/store-keyv/README.md fragment', // a PostgreSQL server of the reader's
      'packages/store-keyv/README.md fragment', // keyv 6 and @keyv/sqlite, which this workspace tests apart (tests/keyv-6)
      'packages/store-redis/README.md fragment', // a Redis Cluster on other hosts
      'packages/store-redis/README.md fragment', // two snapshot calls on the cache above
      'packages/test-redis/README.md fragment', // a vitest file
      'docs/course/05-distributed-caching.md fragment', // a Redis Cluster on other hosts
      'docs/course/07-bedrock.md server', // the simulator: started, then stopped with Ctrl+C
      'docs/course/08-production.md server', // the gateway: started, the curl block run against it, then Ctrl+C
      'docs/course/08-production.md fragment', // a client for a gateway with API keys
    ]);
  });
});

describe('TypeScript blocks of the READMEs and the course', () => {
  let simulator: BedrockSimulator;
  let redis: RedisServerHandle;
  let simulatorUrl: string;

  beforeAll(async () => {
    simulator = createBedrockSimulator({ latency: 0 });
    simulatorUrl = (await simulator.listen({ port: 0 })).url;
    redis = await startRedisServer();
    rmSync(generated, { recursive: true, force: true });
    mkdirSync(generated, { recursive: true });
    writeFileSync(
      join(generated, 'tsconfig.json'),
      JSON.stringify({ extends: '../../../tsconfig.base.json', include: ['*.ts'] }),
    );
    for (const program of programs) {
      writeFileSync(join(generated, program.name), programText(program, [[DOCUMENTED_REDIS_URL, redis.url]]));
    }
  });
  afterAll(async () => {
    await simulator?.close();
    await redis?.stop();
  });

  it('type-check against the workspace packages', async () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const result = await run(
      process.execPath,
      [tsc, '-p', join(generated, 'tsconfig.json'), '--pretty', 'false'],
      {
        cwd: generated,
        env: process.env,
        timeoutMs: 120_000,
      },
    );
    const byName = new Map(programs.map((program) => [program.name, program]));
    const errors: string[] = [];
    for (const line of result.output.split('\n')) {
      const diagnostic = /^(?:.*\/)?([^/(]+\.ts)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
      if (!diagnostic) {
        if (/error TS\d+/.test(line)) errors.push(line);
        continue;
      }
      const program = byName.get(diagnostic[1]!);
      if (!program) {
        errors.push(line);
        continue;
      }
      // A fragment uses names the reader's own code defines (as `name` or `{ name }`); every other error counts.
      if (!program.runnable && FORGIVEN_IN_FRAGMENTS.has(diagnostic[3]!)) continue;
      errors.push(`${sourceLine(program, Number(diagnostic[2]))}: ${diagnostic[3]} ${diagnostic[4]}`);
    }
    expect(errors).toEqual([]);
    expect(result.code === 0 || /error TS(2304|18004)/.test(result.output), result.output).toBe(true);
  });

  const runnable = programs.filter((program) => program.runnable);
  it.each(
    runnable.map((program): [string, Program] => [
      `${program.blocks[0]!.file}:${program.blocks[0]!.line}`,
      program,
    ]),
  )('%s runs against the simulator', async (_where, program) => {
    const cwd = mkdtempSync(join(scratch, 'run-'));
    const env = {
      ...readerEnvironment(cwd),
      // The AWS SDK's own variables: the unchanged `new BedrockRuntimeClient({ region })` reaches the simulator.
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: simulatorUrl,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    };
    const tsx = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
    const result = await run(
      process.execPath,
      ['--conditions=@prompt-cache/source', '--import', tsx, join(generated, program.name)],
      { cwd, env, timeoutMs: 60_000 },
    );
    expect(result.code, result.output).toBe(0);
  });
});

// A page's commands are steps in the reader's order (start Redis, use it, stop it; start the gateway, curl it,
// Ctrl+C): never shuffled, even under CI=true where vitest.shared.ts shuffles tests.
const pagesWithCommands = coursePages.filter((page) =>
  blocks.some((block) => block.file === page && block.language === 'bash'),
);
for (const page of pagesWithCommands) {
  describe(`the shell commands of ${page}, run as written from the repository root`, { shuffle: false }, () =>
    shellCommandsOf(page),
  );
}

function shellCommandsOf(page: string): void {
  const home = mkdtempSync(join(scratch, 'home-'));
  const env = readerEnvironment(home);
  const ports = new Map<number, number>();
  const servers: Array<{ command: string; started: Started }> = [];
  const withFreePorts = (command: string) =>
    command.replace(/\b\d{4,5}\b/g, (port) => String(ports.get(Number(port)) ?? port));

  afterAll(() => {
    for (const { started } of servers) killGroup(started.child);
    rmSync('/tmp/warm-demo', { recursive: true, force: true }); // module 4's example directory
  });

  const steps = blocks
    .filter((block) => block.file === page && block.language === 'bash')
    .flatMap((block) => shellCommands(block.code).map((command) => ({ block, command })));

  it.each(
    steps.map((step): [string, { block: CodeBlock; command: string }] => [
      `${step.block.line}: ${step.command}`,
      step,
    ]),
  )('line %s', async (_where, { block, command }) => {
    for (const port of block.ports) if (!ports.has(port)) ports.set(port, await findFreePort());
    const actual = withFreePorts(command);
    if (block.kind === 'server') {
      const started = start('bash', ['-c', actual], { cwd: root, env });
      servers.push({ command, started });
      await started.printed('Press Ctrl+C to stop.');
      return;
    }
    const result: Finished = await run('bash', ['-c', actual], { cwd: root, env, timeoutMs: 150_000 });
    if (block.kind === 'exercise') {
      expect(result.code, result.output).toBe(1);
      expect(result.output).toMatch(/Exercise \d+: implement \w+ in examples\//);
      expect(result.output).not.toMatch(/TypeError|ReferenceError/);
    } else {
      expect(result.code, result.output).toBe(0);
    }
  });

  const hasServers = blocks.some((block) => block.file === page && block.kind === 'server');
  it.runIf(hasServers)('Ctrl+C stops every long-running command, and nothing is left running', async () => {
    expect(servers.length).toBeGreaterThan(0);
    for (const { started } of servers) {
      process.kill(-started.child.pid!, 'SIGINT');
      // pnpm gets the Ctrl+C too and ends by it; the command itself must stop on its own, with nothing left.
      const end = await started.finished;
      expect(end.code === 0 || end.signal === 'SIGINT', started.output()).toBe(true);
      await groupEnded(started.child);
      expect(groupAlive(started.child), started.output()).toBe(false);
    }
  });
}
