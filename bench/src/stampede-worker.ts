// A child process of the stampede suite: one of several processes that share a Redis. The parent tells it
// which library to set up, then says "go" to every process at once; each fires its share of identical calls.
import type { ConverseRequest } from './fixtures.js';
import {
  createSlowModel,
  createStampedeContender,
  type StampedeContender,
  type StampedeLibrary,
} from './stampede-contenders.js';

export type ParentMessage =
  | {
      type: 'prepare';
      library: StampedeLibrary;
      request: ConverseRequest;
      answer: string;
      namespace: string;
      callers: number;
      delayMs: number;
      redisUrl: string;
    }
  | { type: 'go' }
  | { type: 'exit' };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'prepared' }
  | { type: 'done'; upstreamCalls: number; right: number; wrong: number; error?: string };

const send = (message: WorkerMessage) => process.send!(message);
let current:
  | {
      contender: StampedeContender;
      model: ReturnType<typeof createSlowModel>;
      answer: string;
      callers: number;
    }
  | undefined;

process.on('message', async (message: ParentMessage) => {
  if (message.type === 'exit') {
    process.exit(0);
  } else if (message.type === 'prepare') {
    // The request arrives through JSON: nothing in it is binary.
    const model = createSlowModel(message.answer, message.delayMs);
    const contender = createStampedeContender(
      message.library,
      { kind: 'redis', url: message.redisUrl },
      message.request,
      () => model.call(),
      message.namespace,
    );
    current = { contender, model, answer: message.answer, callers: message.callers };
    send({ type: 'prepared' });
  } else if (message.type === 'go' && current) {
    const { contender, model, answer, callers } = current;
    current = undefined;
    let right = 0;
    let wrong = 0;
    let error: string | undefined;
    try {
      const answers = await Promise.all(Array.from({ length: callers }, () => contender.ask()));
      for (const got of answers) got === answer ? right++ : wrong++;
    } catch (caught) {
      error = String(caught);
    } finally {
      await contender.close().catch(() => undefined);
    }
    send({ type: 'done', upstreamCalls: model.calls, right, wrong, ...(error ? { error } : {}) });
  }
});
send({ type: 'ready' });
