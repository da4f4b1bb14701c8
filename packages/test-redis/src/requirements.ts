/** True when the tests run in CI (`CI=true` or `CI=1`), where every tool a test needs is installed. */
export function runningInCi(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** A tool or file some tests need, and how to get it. */
export interface Requirement {
  /** What is missing, e.g. `Chromium at /usr/bin/chromium`. */
  missing: string;
  /** The tests that need it, e.g. `the dashboard browser tests`. */
  tests: string;
  /** The command (or step) that installs it. */
  install: string;
}

const warned = new Set<string>();

/**
 * Whether tests that need something may run. When it is there: true. When it is missing under CI=true: throws
 * one line with the install hint, so the test file fails instead of passing with its tests skipped. When it is
 * missing elsewhere: a loud warning (once per `tests`) and false, so the caller skips.
 * @example
 * const hasChromium = requirementMet(existsSync(CHROMIUM), {
 *   missing: `Chromium at ${CHROMIUM}`, tests: 'the dashboard browser tests',
 *   install: 'apt-get update && apt-get install -y chromium',
 * });
 * describe.skipIf(!hasChromium)('the dashboard', () => { ... });
 */
export function requirementMet(available: boolean, requirement: Requirement): boolean {
  if (available) return true;
  const { missing, tests, install } = requirement;
  if (runningInCi()) {
    throw new Error(
      `[test-redis] CI=true and ${missing} is missing, so ${tests} cannot run. Install it: ${install}`,
    );
  }
  if (!warned.has(tests)) {
    warned.add(tests);
    const line = '!'.repeat(78);
    console.warn(
      `\n${line}\n!! ${missing} is missing, so ${tests} are SKIPPED.\n!! Install it: ${install}\n${line}\n`,
    );
  }
  return false;
}
