import { createSpinner } from 'nanospinner';
import picocolors from 'picocolors';

/** The colour functions of picocolors, switched on or off as a whole. */
export type Colors = ReturnType<typeof picocolors.createColors>;

/** True when colour may be used on `stream`: a TTY, `NO_COLOR` unset, `TERM` not `dumb`; `FORCE_COLOR` wins. */
export function colorEnabled(stream: NodeJS.WriteStream, environment = process.env): boolean {
  if ('NO_COLOR' in environment && environment.NO_COLOR !== undefined) return false;
  if (environment.FORCE_COLOR !== undefined && environment.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && environment.TERM !== 'dumb';
}

/** Colours for standard output and standard error, each on only when that stream may show them. */
export const colors: Colors = picocolors.createColors(colorEnabled(process.stdout));
export const errorColors: Colors = picocolors.createColors(colorEnabled(process.stderr));

/**
 * Whether a person is there to see animation (spinners, progress bars, countdowns) on standard error. A terminal
 * that reports zero columns gets none: the spinner divides by the width and would clear lines forever.
 */
export function interactiveOutput(
  stream: NodeJS.WriteStream = process.stderr,
  environment: NodeJS.ProcessEnv = process.env,
): boolean {
  return (
    stream.isTTY === true &&
    (stream.columns ?? 0) > 0 &&
    environment.TERM !== 'dumb' &&
    environment.CI === undefined
  );
}

/** Whether a person can answer on standard input (Enter between steps, confirmations). */
export function interactiveInput(): boolean {
  return process.stdin.isTTY === true;
}

/** A spinner on standard error while `work` runs, only on a TTY; otherwise `work` runs silently. */
export async function withSpinner<T>(text: string, work: () => Promise<T>): Promise<T> {
  if (!interactiveOutput()) return work();
  const spinner = createSpinner(text, { stream: process.stderr }).start();
  try {
    return await work();
  } finally {
    spinner.clear();
    spinner.reset();
    process.stderr.write('\x1b[?25h'); // show the cursor again
  }
}

let wroteStandardOutput = false;

/** Writes one line to standard output. */
export function say(line = ''): void {
  wroteStandardOutput = true;
  process.stdout.write(`${line}\n`);
}

/** Whether anything was written with {@link say} (a command's JSON object, for one). */
export function saidAnything(): boolean {
  return wroteStandardOutput;
}

/** Notices held back while text is streamed to standard output (`undefined`: none are held). */
let heldNotices: string[] | undefined;

/** Writes one line to standard error (notices, warnings); held back while {@link holdingNotices} runs. */
export function notice(line: string): void {
  if (heldNotices) heldNotices.push(line);
  else process.stderr.write(`${line}\n`);
}

/**
 * Runs `work` (which streams text to standard output) with notices held back, then writes them: on a terminal
 * both streams share the screen, and a warning must never land in the middle of the streamed text.
 */
export async function holdingNotices<T>(work: () => Promise<T>): Promise<T> {
  heldNotices = [];
  try {
    return await work();
  } finally {
    const lines = heldNotices;
    heldNotices = undefined;
    for (const line of lines) notice(line);
  }
}
