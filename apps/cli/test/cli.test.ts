import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, cleanUp, errorLines, runCli } from './run-cli.js';

afterAll(cleanUp);

const COMMANDS = [
  'demo',
  'ask',
  'test-expiration',
  'redis-demo',
  'stats',
  'keys',
  'inspect',
  'clear',
  'prune',
  'warm',
  'simulator',
];

/** Every command's --help, run once (a few at a time) and shared by the tests below. */
const helps = new Map<string, CliRun>();
beforeAll(async () => {
  const pending = [...COMMANDS];
  const worker = async () => {
    for (let command = pending.shift(); command; command = pending.shift()) {
      helps.set(command, await runCli([command, '--help']));
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}, 120_000);

describe('prompt-cache', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const run = await runCli(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists every command, with examples and exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toContain(`  ${command}`);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('Exit codes: 0 success, 1 failure, 2 usage error.');
  });

  it.each(COMMANDS)('%s --help shows its flags and examples', (command) => {
    const run = helps.get(command)!;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: prompt-cache ${command}`);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain(`$ prompt-cache ${command}`);
  });

  it('the commands that reach a cache share the store flags; those that reach a model, the model flags', () => {
    for (const command of COMMANDS.filter((name) => name !== 'simulator')) {
      const { stdout } = helps.get(command)!;
      for (const flag of ['--cache-type', '--cache-dir', '--redis-url', '--namespace'])
        expect(stdout, command).toContain(flag);
    }
    for (const command of ['ask', 'demo', 'test-expiration', 'redis-demo', 'warm']) {
      const { stdout } = helps.get(command)!;
      for (const flag of ['--provider', '--region', '--model']) expect(stdout, command).toContain(flag);
    }
  });

  it('demo --help states the defaults the demos use', () => {
    const { stdout } = helps.get('demo')!;
    const flat = stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('(default: memory; --advanced: file in a temporary directory;');
    expect(flat).toContain('(default: demo;');
    expect(flat).not.toContain('(default: file;');
  });

  it('an unknown flag is one line on stderr and exit code 2', async () => {
    const run = await runCli(['ask', 'hello', '--jsn']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(errorLines(run)).toEqual([
      "prompt-cache: unknown option '--jsn' (Did you mean --json?); add --help for usage",
    ]);
  });

  it('an unknown command is one line on stderr and exit code 2', async () => {
    const run = await runCli(['akk']);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual([
      "prompt-cache: unknown command 'akk' (Did you mean ask?); run prompt-cache --help for the commands",
    ]);
  });

  it('no command shows the help and exits with 2', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: prompt-cache');
  });

  it('--debug adds the stack trace; without it an error has no stack', async () => {
    const plain = await runCli(['ask', 'hi', '--cache-type', 'disk']);
    expect(errorLines(plain)).toHaveLength(1);
    const debug = await runCli(['ask', 'hi', '--cache-type', 'disk', '--debug']);
    expect(debug.code).toBe(2);
    expect(errorLines(debug)[0]).toBe(errorLines(plain)[0]);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
