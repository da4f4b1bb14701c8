// Each exercise's check imports the learner's `exercise.ts`. CI sets PROMPT_CACHE_CHECK_SOLUTIONS=1
// so the same checks run against the reference solutions, which keeps the course from rotting.

import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export async function solution<Module>(name: string, checkUrl: string): Promise<Module> {
  const useSolutions = process.env.PROMPT_CACHE_CHECK_SOLUTIONS === '1';
  const file = useSolutions
    ? join(dirname(fileURLToPath(checkUrl)), '..', 'solutions', `${name}.ts`)
    : join(dirname(fileURLToPath(checkUrl)), 'exercise.ts');
  return (await import(pathToFileURL(file).href)) as Module;
}
