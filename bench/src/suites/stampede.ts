import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { RedisServerHandle } from '@prompt-cache/test-redis';
import { shortRequest } from '../fixtures.js';
import { redisMissingReason, withRedisServer } from '../redis-setup.js';
import {
  createSlowModel,
  createStampedeContender,
  STAMPEDE_LIBRARIES,
  STAMPEDE_USAGE,
  type StampedeLibrary,
} from '../stampede-contenders.js';
import type { ParentMessage, WorkerMessage } from '../stampede-worker.js';
import { type Goal, type ResultRow, type Suite, verdictOf } from '../suite.js';
import { BENCH_DIRECTORY } from '../versions.js';

const CALLERS = 100;
const PROCESSES = 4;

interface Outcome {
  upstreamCalls: number;
  right: number;
  wrong: number;
  wallMs: number;
  error?: string;
}

const LABELS: Record<StampedeLibrary, string> = {
  'prompt-cache': 'prompt-cache',
  keyv: 'keyv',
  'cache-manager': 'cache-manager',
  langchain: 'LangChain chat model',
};

let runs = 0;
/** A request no earlier run has cached: the stampede is of misses. */
function freshRequest(library: StampedeLibrary) {
  const request = shortRequest(0);
  request.messages[0]!.content = [
    {
      text: `Stampede ${runs++} for ${library} at ${Date.now()}: what happens when a hundred users ask at once?`,
    },
  ];
  return request;
}

/**
 * Cache stampede: 100 identical calls arrive together while the answer is not cached yet, and the model
 * takes 500 ms. How many calls reach the model, for each library used the way its docs recommend — in one
 * process, and spread over 4 processes that share one Redis.
 */
export const stampedeSuite: Suite = {
  id: 'stampede',
  title: 'Stampede: 100 identical concurrent misses on a slow model',
  async run(context) {
    const delayMs = context.tiny ? 150 : context.quick ? 250 : 500;
    const callers = context.tiny ? 20 : CALLERS;
    const processes = context.tiny ? 2 : PROCESSES;
    const rows: ResultRow[] = [];
    const outcomes = new Map<StampedeLibrary, { local: Outcome; shared?: Outcome }>();
    const missing = redisMissingReason();
    // The worker processes boot (a second or two each) while the in-process stampedes run.
    const booting = missing ? undefined : startWorkers(processes);
    booting?.catch(() => undefined);
    try {
      for (const library of STAMPEDE_LIBRARIES) {
        outcomes.set(library, { local: await inOneProcess(library, callers, delayMs) });
      }
    } catch (error) {
      if (booting) await stopWorkers(await booting);
      throw error;
    }
    if (booting) {
      const workers = await booting;
      try {
        await withRedisServer(async (server) => {
          for (const library of STAMPEDE_LIBRARIES) {
            outcomes.get(library)!.shared = await acrossProcesses(workers, server, library, callers, delayMs);
          }
        });
      } finally {
        await stopWorkers(workers);
      }
    }
    for (const library of STAMPEDE_LIBRARIES) {
      const { local, shared } = outcomes.get(library)!;
      const wrong = local.wrong + (shared?.wrong ?? 0);
      const errors = [local.error, shared?.error].filter(Boolean);
      rows.push({
        label: LABELS[library],
        cells: {
          local: local.upstreamCalls,
          localWall: local.wallMs,
          shared: shared?.upstreamCalls,
          sharedWall: shared?.wallMs,
          answers: wrong === 0 && errors.length === 0 ? 'all right' : `${wrong} wrong ${errors.join('; ')}`,
        },
        note: `${STAMPEDE_USAGE[library].memory}; across processes: ${STAMPEDE_USAGE[library].redis}`,
      });
    }
    const ours = outcomes.get('prompt-cache')!;
    const goals: Goal[] = [
      {
        goal: 'prompt-cache: 1 upstream call in one process',
        met: ours.local.upstreamCalls === 1 && ours.local.wrong === 0,
        detail: `${ours.local.upstreamCalls} call(s)`,
      },
      {
        goal: `prompt-cache: 1 upstream call across ${processes} processes sharing Redis`,
        met: ours.shared ? ours.shared.upstreamCalls === 1 && ours.shared.wrong === 0 : undefined,
        detail: ours.shared ? `${ours.shared.upstreamCalls} call(s)` : (missing ?? 'not run'),
      },
    ];
    const notes = [
      `${callers} callers ask the same new question at once; the model answers after ${delayMs} ms. Across ` +
        `processes: ${processes} child processes, ${callers / processes} callers each, released together, sharing ` +
        `one test-started redis-server; the count is the sum of every process's model calls. Every caller's answer ` +
        `was checked. Wall time is from the first call to the last answer.`,
    ];
    if (missing) notes.push(`Across processes: skipped (${missing}).`);
    return {
      id: this.id,
      title: this.title,
      columns: [
        { id: 'local', title: 'model calls, 1 process', format: 'count' },
        { id: 'localWall', title: 'wall time', format: 'ms' },
        { id: 'shared', title: `model calls, ${processes} processes`, format: 'count' },
        { id: 'sharedWall', title: 'wall time', format: 'ms' },
        { id: 'answers', title: 'answers', format: 'text' },
        { id: 'note', title: 'used as', format: 'text' },
      ],
      rows,
      goals,
      verdicts: goals.map(verdictOf),
      notes,
    };
  },
};

async function inOneProcess(library: StampedeLibrary, callers: number, delayMs: number): Promise<Outcome> {
  const request = freshRequest(library);
  const answer = `the answer for ${library}`;
  const model = createSlowModel(answer, delayMs);
  const contender = createStampedeContender(
    library,
    { kind: 'memory' },
    request,
    () => model.call(),
    `stampede-${runs}`,
  );
  const started = performance.now();
  try {
    const answers = await Promise.all(Array.from({ length: callers }, () => contender.ask()));
    const right = answers.filter((got) => got === answer).length;
    return { upstreamCalls: model.calls, right, wrong: callers - right, wallMs: performance.now() - started };
  } finally {
    await contender.close();
  }
}

interface Worker {
  process: ChildProcess;
  next(type: WorkerMessage['type']): Promise<WorkerMessage>;
}

/** Forks the worker processes (TypeScript through tsx, sources through the workspace condition). */
async function startWorkers(count: number): Promise<Worker[]> {
  const script = join(BENCH_DIRECTORY, 'src', 'stampede-worker.ts');
  const workers = Array.from({ length: count }, (): Worker => {
    const child = fork(script, [], {
      cwd: BENCH_DIRECTORY,
      execArgv: ['--conditions=@prompt-cache/source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const inbox: WorkerMessage[] = [];
    let waiting: ((message: WorkerMessage) => void) | undefined;
    let exited: Error | undefined;
    child.on('message', (message: WorkerMessage) => {
      inbox.push(message);
      waiting?.(inbox.shift()!);
      waiting = undefined;
    });
    child.on('exit', (code) => {
      exited = new Error(`[bench] a stampede worker exited early (code ${code})`);
    });
    return {
      process: child,
      next: (type) =>
        new Promise((resolve, reject) => {
          const check = (message: WorkerMessage) =>
            message.type === type
              ? resolve(message)
              : reject(new Error(`[bench] worker said ${message.type}, expected ${type}`));
          if (inbox.length) return check(inbox.shift()!);
          if (exited) return reject(exited);
          const timer = setTimeout(
            () => reject(new Error(`[bench] no ${type} from a stampede worker`)),
            60_000,
          );
          waiting = (message) => {
            clearTimeout(timer);
            check(message);
          };
        }),
    };
  });
  await Promise.all(workers.map((worker) => worker.next('ready')));
  return workers;
}

async function stopWorkers(workers: Worker[]) {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.process.exitCode !== null) return resolve();
          worker.process.once('exit', () => resolve());
          worker.process.send({ type: 'exit' } satisfies ParentMessage);
          setTimeout(() => {
            worker.process.kill('SIGKILL');
          }, 5_000).unref();
        }),
    ),
  );
}

async function acrossProcesses(
  workers: Worker[],
  server: RedisServerHandle,
  library: StampedeLibrary,
  callers: number,
  delayMs: number,
): Promise<Outcome> {
  const request = freshRequest(library);
  const answer = `the shared answer for ${library}`;
  const prepare: ParentMessage = {
    type: 'prepare',
    library,
    request,
    answer,
    namespace: `stampede-${runs}`,
    callers: callers / workers.length,
    delayMs,
    redisUrl: server.url,
  };
  for (const worker of workers) worker.process.send(prepare);
  await Promise.all(workers.map((worker) => worker.next('prepared')));
  const started = performance.now();
  for (const worker of workers) worker.process.send({ type: 'go' } satisfies ParentMessage);
  const done = (await Promise.all(workers.map((worker) => worker.next('done')))) as Array<
    Extract<WorkerMessage, { type: 'done' }>
  >;
  const errors = done.map((message) => message.error).filter(Boolean);
  return {
    upstreamCalls: done.reduce((sum, message) => sum + message.upstreamCalls, 0),
    right: done.reduce((sum, message) => sum + message.right, 0),
    wrong: done.reduce((sum, message) => sum + message.wrong, 0),
    wallMs: performance.now() - started,
    ...(errors.length ? { error: errors.join('; ') } : {}),
  };
}
