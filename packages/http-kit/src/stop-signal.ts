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
