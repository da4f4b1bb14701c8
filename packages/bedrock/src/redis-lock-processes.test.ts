import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type BedrockSimulator, createBedrockSimulator } from '@prompt-cache/bedrock-simulator';
import { type RedisServerHandle, sendCommand, startRedisServer } from '@prompt-cache/test-redis';
import { describeWithRedis } from '@prompt-cache/test-redis/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';

const WORKER = fileURLToPath(new URL('../test/lock-worker.ts', import.meta.url));
const PACKAGE_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const KEY_PREFIX = 'four-processes:';
const PROCESSES = 4;

interface WorkerAnswer {
  text: string;
  status: string;
  coalesced: boolean;
}

/** A worker process and its output lines, in order. */
function startWorker(simulatorUrl: string, redisUrl: string, keyPrefix = KEY_PREFIX, mode = 'converse') {
  const child = spawn(
    process.execPath,
    ['--conditions=@prompt-cache/source', '--import', 'tsx', WORKER, simulatorUrl, redisUrl, keyPrefix, mode],
    {
      cwd: PACKAGE_DIRECTORY,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error(`worker ${child.pid} ended early: ${stderr}`);
    return line.value;
  };
  return { child, next };
}

describeWithRedis('withPromptCache and the Redis lock, across processes', () => {
  let server: RedisServerHandle;
  let simulator: BedrockSimulator;
  let simulatorUrl: string;
  const children: ChildProcess[] = [];
  /** Releases the model call the simulator is holding. */
  let releaseModel: () => void = () => {};

  beforeAll(async () => {
    server = await startRedisServer();
    // The model answers only when the test says so: the first caller holds the lock meanwhile.
    simulator = createBedrockSimulator({
      latency: 1,
      sleep: () =>
        new Promise<void>((resolve) => {
          releaseModel = resolve;
        }),
    });
    simulatorUrl = (await simulator.listen({ host: '127.0.0.1', port: 0 })).url;
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await simulator?.close();
    await server?.stop();
  });

  /** Starts the workers, holds the one model call until the others wait on the lock, then releases it. */
  async function raceProcesses(url: string, model: BedrockSimulator, keyPrefix: string, mode: string) {
    const workers = Array.from({ length: PROCESSES }, () => startWorker(url, server.url, keyPrefix, mode));
    children.push(...workers.map((worker) => worker.child));
    for (const worker of workers) expect(await worker.next()).toBe('ready');
    for (const worker of workers) worker.child.stdin!.write('go\n');
    const answers = workers.map(async (worker) => JSON.parse(await worker.next()) as WorkerAnswer);

    // Hold the one model call until the other three are waiting on the lock (each subscribes to its channel).
    await expect.poll(() => model.calls.length, { timeout: 15_000, interval: 20 }).toBeGreaterThanOrEqual(1);
    // Each waiting process subscribes to the lock channel (one connection each): count them.
    const waiting = async () => {
      const reply = await sendCommand(server.port, ['CLIENT', 'LIST']);
      const clients = reply.type === 'bulk' ? (reply.text ?? '').split('\n') : [];
      return clients.filter((client) => / sub=1 /.test(client)).length;
    };
    await expect.poll(waiting, { timeout: 15_000, interval: 20 }).toBe(PROCESSES - 1);
    releaseModel();

    const results = await Promise.all(answers);
    expect(model.calls).toHaveLength(1);
    expect(new Set(results.map((result) => result.text)).size).toBe(1);
    expect(results[0]!.text).toMatch(/^\[simulated\] /);
    expect(results.map((result) => result.status).sort()).toEqual(['hit', 'hit', 'hit', 'miss']);
    expect(results.filter((result) => result.coalesced)).toHaveLength(PROCESSES - 1);
  }

  it(
    '4 processes released together: 1 upstream call, the other 3 wait on the lock and read its answer',
    { timeout: 60_000 },
    () => raceProcesses(simulatorUrl, simulator, KEY_PREFIX, 'converse'),
  );

  it(
    '4 identical streams in 4 processes: 1 upstream stream, the other 3 wait on the lock and replay its recording',
    { timeout: 60_000 },
    async () => {
      // The stream's first event waits for the test; the events after it come at once.
      let released = false;
      const streaming = createBedrockSimulator({
        latency: 1,
        sleep: () =>
          released
            ? Promise.resolve()
            : new Promise<void>((resolve) => {
                releaseModel = () => {
                  released = true;
                  resolve();
                };
              }),
      });
      const url = (await streaming.listen({ host: '127.0.0.1', port: 0 })).url;
      try {
        await raceProcesses(url, streaming, 'four-streams:', 'stream');
      } finally {
        await streaming.close();
      }
    },
  );
});
