import { type Reading, readConverse, readConverseStream } from './answer-check.js';
import type { Answer, GatewayClient } from './gateway-client.js';

export type Operation = 'converse' | 'converse-stream';

const MODEL_PATH = `/model/${encodeURIComponent('amazon.nova-lite-v1:0')}`;

/** One answered request: when it started (ms, `performance.now()`), how long it took, and what it was. */
export interface Sample {
  startedAt: number;
  ms: number;
  operation: Operation;
  repeat: boolean;
}

/** What the callers saw. */
export interface TrafficTally {
  /** Requests answered or failed (a deliberate hang-up is not counted here). */
  requests: number;
  /** Network errors, timeouts, non-200 statuses, and exception frames. */
  failures: number;
  /** 200 answers cut short (a stream without messageStop and metadata), or whose text differs from the first whole answer to the same request. */
  truncated: number;
  hits: number;
  misses: number;
  /** Streams the callers hung up on after their first bytes, by protocol. */
  hangUps: Record<GatewayClient['protocol'], number>;
  samples: Sample[];
  /** The first few failures and truncations, in one line each. */
  problems: string[];
}

const MAX_PROBLEMS = 10;

/**
 * Records every answer, and checks it: whole, and with the same text as the first whole answer to the same
 * request (the simulator answers a question the same way every time, so a hit must repeat the miss that stored it).
 */
export class Ledger {
  readonly tally: TrafficTally = {
    requests: 0,
    failures: 0,
    truncated: 0,
    hits: 0,
    misses: 0,
    hangUps: { 'HTTP/1.1': 0, 'HTTP/2': 0 },
    samples: [],
    problems: [],
  };
  private readonly texts = new Map<string, string>();
  /** Problems are stamped with the seconds since this moment (`performance.now()`), to line them up with faults. */
  constructor(private readonly origin = performance.now()) {}

  async call(
    client: GatewayClient,
    operation: Operation,
    question: string,
    repeat: boolean,
  ): Promise<Reading | undefined> {
    const startedAt = performance.now();
    let answer: Answer;
    try {
      answer = await client.post(`${MODEL_PATH}/${operation}`, requestBody(question));
    } catch (error) {
      this.fail(`${client.protocol} ${operation} "${question}": ${(error as Error).message}`);
      return undefined;
    }
    this.tally.requests += 1;
    if (answer.status !== 200) {
      this.tally.failures += 1;
      this.problem(
        `${client.protocol} ${operation}: status ${answer.status}: ${answer.body.toString('utf8', 0, 200)}`,
      );
      return undefined;
    }
    if (answer.cache === 'hit') this.tally.hits += 1;
    else this.tally.misses += 1;
    const reading = operation === 'converse' ? readConverse(answer.body) : readConverseStream(answer.body);
    if (reading.problem?.includes('Exception')) {
      this.tally.failures += 1;
      this.problem(`${client.protocol} ${operation} (${answer.cache}): ${reading.problem}`);
      return reading;
    }
    const key = `${operation}\n${question}`;
    const first = this.texts.get(key);
    if (!reading.complete) {
      this.truncated(`${client.protocol} ${operation} (${answer.cache}): ${reading.problem}`);
    } else if (first !== undefined && first !== reading.text) {
      this.truncated(
        `${client.protocol} ${operation} (${answer.cache}): ${reading.text.length} characters where the first answer had ${first.length}`,
      );
    } else {
      this.texts.set(key, reading.text);
      this.tally.samples.push({ startedAt, ms: answer.ms, operation, repeat });
    }
    return reading;
  }

  hungUp(client: GatewayClient): void {
    this.tally.hangUps[client.protocol] += 1;
  }

  fail(message: string): void {
    this.tally.requests += 1;
    this.tally.failures += 1;
    this.problem(message);
  }

  private truncated(message: string): void {
    this.tally.truncated += 1;
    this.problem(`truncated: ${message}`);
  }

  private problem(message: string): void {
    const at = ((performance.now() - this.origin) / 1000).toFixed(1);
    if (this.tally.problems.length < MAX_PROBLEMS) this.tally.problems.push(`[${at} s] ${message}`);
  }
}

export function requestBody(question: string): string {
  return JSON.stringify({
    messages: [{ role: 'user', content: [{ text: question }] }],
    // Short answers: the simulator spends 10 ms a token, and a soak wants many requests.
    inferenceConfig: { maxTokens: 40 },
  });
}

/** Questions half of which repeat a small set (hits, once stored), half new (misses). */
export class Questions {
  private count = 0;
  constructor(
    private readonly prefix: string,
    private readonly repeated = 8,
  ) {}

  next(): { question: string; repeat: boolean } {
    const index = this.count++;
    return index % 2 === 0
      ? { question: `${this.prefix}: repeated question #${(index / 2) % this.repeated}`, repeat: true }
      : { question: `${this.prefix}: new question #${index}`, repeat: false };
  }
}

/** Calls in a loop, one at a time and at most one every `paceMs`, until `running()` is false. */
export async function steadyCaller(
  ledger: Ledger,
  client: GatewayClient,
  operation: Operation,
  questions: Questions,
  running: () => boolean,
  paceMs: number,
): Promise<void> {
  while (running()) {
    const started = performance.now();
    const { question, repeat } = questions.next();
    await ledger.call(client, operation, question, repeat);
    const rest = paceMs - (performance.now() - started);
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  }
}

/**
 * The case of a cancelled shared stream: caller A starts a ConverseStream of a new question and hangs up after its
 * first bytes, while caller B asks the same (over the other protocol) just before A hangs up; then C asks again.
 * B and C must each get the whole answer, the same one. The protocols alternate, so that A hangs up over HTTP/1.1
 * (closing its connection) and over HTTP/2 (RST_STREAM) in turn.
 */
export async function cancellingCaller(
  ledger: Ledger,
  clients: [GatewayClient, GatewayClient],
  running: () => boolean,
): Promise<void> {
  for (let round = 0; running(); round++) {
    const hangingUp = clients[round % 2]!;
    const following = clients[(round + 1) % 2]!;
    const question = `a question whose first caller hangs up #${round}`;
    let follower: Promise<unknown> | undefined;
    try {
      const status = await hangingUp.postAndHangUp(
        `${MODEL_PATH}/converse-stream`,
        requestBody(question),
        () => {
          follower = ledger.call(following, 'converse-stream', question, false);
        },
        20,
      );
      if (status === 200) ledger.hungUp(hangingUp);
      else ledger.fail(`${hangingUp.protocol} converse-stream before hanging up: status ${status}`);
    } catch (error) {
      ledger.fail(`${hangingUp.protocol} converse-stream before hanging up: ${(error as Error).message}`);
    }
    await follower;
    await ledger.call(hangingUp, 'converse-stream', question, true);
  }
}
