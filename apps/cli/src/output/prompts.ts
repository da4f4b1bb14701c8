import { createInterface } from 'node:readline/promises';
import { colors, interactiveInput } from './terminal.js';

/**
 * Pauses between the steps of a demo: on a TTY it waits for Enter, otherwise (stdin not a TTY, or `--yes`)
 * it goes straight on.
 */
export interface Stepper {
  /** Waits for Enter (or not, see above). */
  next(message?: string): Promise<void>;
  /** Whether it waits at all. */
  readonly waits: boolean;
}

export function createStepper(skip: boolean): Stepper {
  const waits = !skip && interactiveInput();
  return {
    waits,
    async next(message = 'Press Enter to continue') {
      if (!waits) return;
      const reader = createInterface({ input: process.stdin, output: process.stdout });
      try {
        await reader.question(colors.dim(`${message}... `));
      } finally {
        reader.close();
      }
    },
  };
}

/** Asks a yes/no question on the terminal; anything but y/yes is a no. */
export async function confirm(question: string): Promise<boolean> {
  const reader = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await reader.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    reader.close();
  }
}

/** Waits `seconds`, showing a countdown on a TTY (`expires in 3 s`), or one line otherwise. */
export async function countdown(
  seconds: number,
  label: (left: number) => string,
  interactive: boolean,
): Promise<void> {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  if (!interactive) {
    await sleep(totalMs);
    return;
  }
  const started = Date.now();
  for (;;) {
    const leftMs = totalMs - (Date.now() - started);
    if (leftMs <= 0) break;
    process.stderr.write(`\r\x1b[2K${label(Math.ceil(leftMs / 1000))}`);
    await sleep(Math.min(leftMs, 1000 - ((Date.now() - started) % 1000) || 1000));
  }
  process.stderr.write('\r\x1b[2K');
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
