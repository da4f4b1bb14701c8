// Recency for LRU is the entry file's modification time, set on every write and every hit.
// Kernel timestamps are coarse (a few milliseconds), so two touches in a row could tie; this stamp
// follows the wall clock but always moves forward by at least 10 µs within a process.
const STEP_MS = 0.01;
let last = 0;

/** A strictly increasing wall-clock stamp, in seconds (what `utimes` takes). */
export function recencyStamp(): number {
  last = Math.max(Date.now(), last + STEP_MS);
  return last / 1000;
}
