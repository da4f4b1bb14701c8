import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineDescription } from './machine.js';
import { PERFORMANCE_LOG } from './performance-log.js';
import { suiteToMarkdown } from './report.js';
import type { SuiteResult } from './suite.js';
import { barChartSvg } from './svg-chart.js';
import { installedVersion } from './versions.js';

export interface BenchmarkRun {
  machine: MachineDescription;
  quick: boolean;
  results: SuiteResult[];
}

/** The file name of a suite's chart, beside BENCHMARKS.md. */
export const chartFileName = (suiteId: string) => `benchmarks-${suiteId}.svg`;

const INTRO = `# Benchmarks

\`pnpm bench\` measures prompt-cache beside the libraries people would otherwise use (keyv, cache-manager,
LangChain.js's caches) on the same data, in the same run, on the same machine. It measures:

- **Hit path**: the time of one in-memory hit on 1,000 pre-populated Converse requests, against the floor of
  deriving the key alone (canonical JSON + SHA-256).
- **Redis**: hits per second through Redis at 1 and 50 calls in flight, 1 KB and 10 KB answers, against
  \`redis-benchmark -t get\`; and the file store's hit latency.
- **Stampede**: how many calls reach a slow model when 100 identical requests arrive together, in one process
  and across 4 processes sharing Redis.
- **Correctness beside speed**: whether two requests that differ only in an image's bytes share an answer.
- **Real questions**: 233 clusters of real user paraphrases (OSSChat) replayed through the CLI's path, with exact
  and normalized keys, beside GPTCache's published figures, with the dollars and model time saved.
- **Semantic hits**: the same clusters with \`@prompt-cache/semantic\` (default offline embedder, threshold,
  margin and guard), the threshold curve beside GPTCache's published points, and scoring at 100,000 entries.
- **Gateway**: requests per second of cached hits through the gateway against a bare server that returns the
  same bytes, over HTTP/1.1 keep-alive (\`node:http\`, loaded by autocannon) and cleartext HTTP/2 (\`node:http2\`,
  loaded by bench/src/h2-load.ts), with the CPU each server spends per request.
- **Scaling**: hit latency with 1k to 1M entries (memory) and 1k to 100k (file), and the memory store's heap per
  entry beside its parts (key and encoded bytes, decoded value).
- **Bedrock middleware**: a Converse hit through an unmodified \`client.send\`, and a replayed ConverseStream.
- **Framework adapters**: a cached \`generateText\` (our AI SDK middleware) and a cached \`chat.invoke\` (LangChain
  with our cache, and through a \`withPromptCache\` client), against our bare hit path, beside the AI SDK's own
  caching recipe (a Map) and LangChain's \`InMemoryCache\`.

How: latencies come from [tinybench](https://github.com/tinylibs/tinybench) with a warm-up, then several rounds
whose task order alternates; each figure is the median of the rounds' medians. Throughputs come from a closed
loop of N concurrent callers, median of several rounds. Before a library is timed, it must return the right
answer for the requests it is timed on; the note column says whether it hands out a copy or its stored object.
Redis runs are against a redis-server the benchmark starts on a free loopback port, never a shared one. No test
asserts a timing: these figures live here only. On a quiet machine they move from run to run by several
percent; on a machine shared with other work (builds, test runs) they move by tens of percent, and a goal close
to its threshold can be met in one run and missed in the next. Compare ratios within one run rather than figures
across runs, and rerun on a quiet machine before reading much into a single verdict.`;

/** How each peer was installed and used, where that is not obvious from its version. */
function peerNotes(): string[] {
  const keyv = installedVersion('keyv');
  return [
    'Notes on the peers:',
    '',
    `- keyv ${keyv} declares \`node >= 22.19\`; it installs and runs on Node.js 20 here, and every check it is ` +
      'put through passes, so the newest keyv is measured rather than keyv 5.',
    `- @keyv/redis ${installedVersion('@keyv/redis')} declares keyv ^5.6.0 and runs with keyv ${keyv}; the only ` +
      '@keyv/redis for keyv 6 is a release candidate that needs Node.js 22.',
    `- cache-manager ${installedVersion('cache-manager')} keeps its default in-memory store in the keyv 5 it ` +
      'depends on; across processes it is given a keyv store on @keyv/redis, as its README shows.',
    `- LangChain: @langchain/core ${installedVersion('@langchain/core')} for \`InMemoryCache\` and the chat model ` +
      `around it; the ioredis cache is \`RedisCache\` from @langchain/community ${installedVersion('@langchain/community')} ` +
      `(\`caches/ioredis\`; @langchain/redis uses node-redis instead), on ioredis ${installedVersion('ioredis')}, the ` +
      'newest release of the major version it declares (^5.3.2). The chat model is a `BaseChatModel` whose upstream ' +
      "is the benchmark's model function; the cache calls, prompt string and LLM string are LangChain's own.",
    `- autocannon ${installedVersion('autocannon')} runs in its own process, so it never shares an event loop with ` +
      'the server it loads.',
    '',
  ];
}

/** The page, regenerated from one run's results. */
export function benchmarksPage(run: BenchmarkRun): string {
  const { machine } = run;
  const lines = [INTRO, '', '## Machine and versions', ''];
  lines.push(
    `Measured on ${machine.cpu}, ${machine.memoryGiB} GiB, ${machine.platform}, Node.js ${machine.node}, ` +
      `on ${machine.date.slice(0, 10)}${run.quick ? ' (quick run: fewer entries and rounds)' : ''}.`,
    '',
    '| package | version |',
    '|---|---|',
    ...Object.entries(machine.versions).map(([name, version]) => `| ${name} | ${version} |`),
    '',
    ...peerNotes(),
    '## Goals',
    '',
    '| suite | goal | this run | met |',
    '|---|---|---|---|',
  );
  for (const suite of run.results) {
    if (suite.skipped) {
      lines.push(`| ${suite.id} | (suite skipped) | ${suite.skipped} | not measured |`);
      continue;
    }
    for (const goal of suite.goals ?? []) {
      const met = goal.met === undefined ? 'not measured' : goal.met ? 'met' : '**not met**';
      lines.push(`| ${suite.id} | ${goal.goal} | ${goal.detail} | ${met} |`);
    }
  }
  lines.push('');
  for (const suite of run.results) {
    const section = suiteToMarkdown(suite, '##');
    if (suite.chart && !suite.skipped) {
      const [heading, ...rest] = section.split('\n');
      lines.push(heading!, '', `![${suite.chart.title}](${chartFileName(suite.id)})`, ...rest);
    } else {
      lines.push(section);
    }
  }
  lines.push(
    PERFORMANCE_LOG,
    '## Running it',
    '',
    '```bash',
    'pnpm bench                 # every suite, about 10 minutes on 2 cores; rewrites this page',
    'pnpm bench --quick         # under a minute: fewer entries and rounds; leaves this page alone',
    'pnpm bench --only redis    # one suite (or several, comma-separated)',
    'pnpm bench --quick --write-docs   # rewrite this page from a quick run anyway',
    '```',
    '',
    'The gateway under faults (Redis killed and paused, cancelled streams, idle sockets) is measured by',
    '`pnpm soak --chaos`; its figures are in [SOAK.md](SOAK.md).',
    '',
    'Every run writes `bench/results/latest.json` (machine, versions and every figure). This page and its charts are',
    'generated from it by `bench/src/docs-page.ts`; edit that file, not this one.',
    '',
  );
  return lines.join('\n');
}

/** Writes docs/BENCHMARKS.md and one SVG chart per suite that has one. Returns the files written. */
export function writeBenchmarksPage(docsDirectory: string, run: BenchmarkRun): string[] {
  mkdirSync(docsDirectory, { recursive: true });
  const written: string[] = [];
  for (const suite of run.results) {
    if (!suite.chart || suite.skipped) continue;
    const file = join(docsDirectory, chartFileName(suite.id));
    const caption = `${run.machine.cpu}, Node.js ${run.machine.node}, ${run.machine.date.slice(0, 10)}. From pnpm bench.`;
    writeFileSync(file, barChartSvg(suite.chart, caption));
    written.push(file);
  }
  const page = join(docsDirectory, 'BENCHMARKS.md');
  writeFileSync(page, benchmarksPage(run));
  written.push(page);
  return written;
}
