// The chaos soak for a few seconds, so that it keeps working: no failed request and no truncated answer through
// Redis killed and paused, hang-ups over both protocols and idle sockets. Figures are printed, never asserted.
// It fails when the gateway hands a caller's abort signal to a stream that others share (tried: the callers that
// joined the stream get an exception frame).
import { requireRedis } from '@prompt-cache/test-redis';
import { describe, expect, it } from 'vitest';
import { formatChaosReport } from './chaos/chaos-report.js';
import { runChaosSoak } from './chaos/chaos-soak.js';

const hasRedis = requireRedis('the chaos soak test', ['redis-server']);

describe.runIf(hasRedis)('pnpm soak --chaos, a few seconds of it', () => {
  it(
    'answers every request whole through Redis killed and paused, hang-ups and idle sockets',
    { timeout: 90_000 },
    async () => {
      const result = await runChaosSoak({ seconds: 6, pauseSeconds: 2, baselineSeconds: 1, idleSockets: 10 });
      console.log(formatChaosReport(result).join('\n'));
      const { chaos, pause } = result;
      // The faults happened...
      expect(chaos.faults.kills).toBeGreaterThanOrEqual(1);
      expect(chaos.faults.pauses).toBeGreaterThanOrEqual(1);
      expect(chaos.tally.hangUps['HTTP/1.1']).toBeGreaterThanOrEqual(1);
      expect(chaos.tally.hangUps['HTTP/2']).toBeGreaterThanOrEqual(1);
      expect(chaos.tally.hits).toBeGreaterThan(0);
      expect(pause.requestsDuringPause).toBeGreaterThan(0);
      expect(pause.storeDuring.storeBreaker).toBe('open');
      // ...and no caller noticed.
      expect(chaos.tally.problems).toEqual([]);
      expect(pause.problems).toEqual([]);
      expect([chaos.tally.failures, chaos.tally.truncated, pause.failures, pause.truncated]).toEqual([
        0, 0, 0, 0,
      ]);
      expect(result.passed).toBe(true);
    },
  );
});
