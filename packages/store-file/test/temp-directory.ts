import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];

/** A fresh directory under the OS temp directory, removed after the test file has run. */
export function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'prompt-cache-store-file-'));
  created.push(directory);
  return directory;
}

afterAll(() => {
  for (const directory of created.splice(0)) {
    rmSync(directory, { recursive: true, force: true });
  }
});
