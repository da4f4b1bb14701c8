import { describe, expect, it } from 'vitest';
import { Activity, type CallOutcome } from './activity.js';

function outcome(namespace: string, key: string): CallOutcome {
  return {
    operation: 'Converse',
    namespace,
    model: 'm',
    status: 'hit',
    key,
    latencyMs: 0.1,
    meta: { costUsd: 0.01 },
  };
}

describe('Activity', () => {
  it('keeps the most recent requests, newest last, per namespace too', () => {
    const activity = new Activity({ recentLimit: 5 });
    for (let index = 0; index < 12; index++)
      activity.record(outcome(index % 2 ? 'odd' : 'even', `k${index}`));
    expect(activity.recentRequests().map((record) => record.key)).toEqual(['k7', 'k8', 'k9', 'k10', 'k11']);
    expect(activity.recentRequests('odd').map((record) => record.key)).toEqual(['k7', 'k9', 'k11']);
    expect(activity.recentRequests(undefined, 2).map((record) => record.key)).toEqual(['k10', 'k11']);
    expect(activity.snapshot()).toMatchObject({ hits: 12, savedUsd: 0.12 });
    expect(activity.snapshot('odd')).toMatchObject({ hits: 6 });
  });

  it('counts requests per second over the last ten seconds', () => {
    let now = 1_000_000;
    const activity = new Activity({ clock: { now: () => now } });
    now += 500;
    expect(activity.requestsPerSecond()).toBe(0);
    for (let index = 0; index < 30; index++) activity.record(outcome('a', 'k'));
    now += 1500; // two seconds since the start: 30 requests over 2 s
    expect(activity.requestsPerSecond()).toBe(15);
    now += 5000;
    for (let index = 0; index < 40; index++) activity.record(outcome('a', 'k'));
    now += 2000; // nine seconds since the start
    expect(activity.requestsPerSecond()).toBeCloseTo(70 / 9, 3);
    now += 9000; // both batches are now more than ten seconds old
    expect(activity.requestsPerSecond()).toBe(0);
  });
});
