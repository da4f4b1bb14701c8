import { colors, say } from './output/terminal.js';

/**
 * Resolves with the first SIGINT or SIGTERM. The handlers are in place when this returns: call it before
 * printing "Press Ctrl+C to stop.", because a supervisor (or a test) may signal the moment it reads that
 * line, and a signal that comes before the handlers kills the process without a clean stop.
 */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * The end of a long-running command (`serve`, `simulator`): says how to stop, waits for SIGINT or SIGTERM,
 * closes what runs, and says that `what` stopped and why.
 */
export async function runUntilStopped(what: string, close: () => Promise<void>): Promise<void> {
  const stopSignal = nextStopSignal();
  say(colors.dim('Press Ctrl+C to stop.'));
  const signal = await stopSignal;
  try {
    await close();
  } finally {
    say(`${what} stopped (${signal}).`);
  }
}
