import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, errorLines, runCli, startCli } from './run-cli.js';

afterAll(cleanUp);

describe('simulator', () => {
  it('serves Bedrock on a free port until SIGTERM', async () => {
    const { child, done } = startCli(['simulator', '--port', '0', '--latency', '0']);
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: string) => {
        output += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.on('close', () => reject(new Error(`the simulator stopped early: ${output}`)));
    });
    const health = await (await fetch(`${url}/_simulator/health`)).json();
    expect(health).toMatchObject({ simulated: true, calls: 0 });
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Answers are SIMULATED');
    expect(run.stdout).toContain('Simulator stopped (SIGTERM).');
  });

  it.each([
    ['--port', '99999'],
    ['--port', 'abc'],
    ['--latency', '-3'],
  ])('%s %s is a usage error', async (flag, value) => {
    const run = await runCli(['simulator', flag, value]);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toHaveLength(1);
  });
});
