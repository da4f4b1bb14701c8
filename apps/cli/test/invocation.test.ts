import { describe, expect, it } from 'vitest';
import { nextCommands } from '../src/output/invocation.js';

describe('nextCommands', () => {
  it('names the commands as the user can type them: through pnpm in a clone, bare when installed', () => {
    const throughPnpm = {
      npm_lifecycle_event: 'demo',
      npm_execpath: 'pnpm.cjs',
    };
    expect(nextCommands(['demo --quick', 'ask "..."'], throughPnpm)).toBe(
      'Next: pnpm prompt-cache demo --quick · pnpm prompt-cache ask "..."',
    );
    expect(nextCommands(['demo --quick'], {})).toBe('Next: prompt-cache demo --quick');
    expect(nextCommands(['demo --quick'], { npm_lifecycle_event: 'demo', npm_execpath: '/npm-cli.js' })).toBe(
      'Next: prompt-cache demo --quick',
    );
  });
});
