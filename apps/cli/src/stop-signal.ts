import { nextStopSignal } from '@prompt-cache/http-kit';
import { colors, say } from './output/terminal.js';

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
