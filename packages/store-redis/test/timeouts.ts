/**
 * Tests that are not about timeouts give Redis room: on a loaded 2-core CI machine a healthy server can take
 * longer than the 500 ms default to answer, and a spurious STORE_TIMEOUT would make the test flaky.
 */
export const RELAXED_TIMEOUT_MS = 5_000;
