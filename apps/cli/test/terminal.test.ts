import { describe, expect, it } from 'vitest';
import { interactiveOutput } from '../src/output/terminal.js';

describe('interactiveOutput', () => {
  const terminal = (columns: number) => ({ isTTY: true, columns }) as NodeJS.WriteStream;

  it('animates on a terminal, but not on one with zero columns (the spinner would never stop clearing)', () => {
    expect(interactiveOutput(terminal(80), {})).toBe(true);
    expect(interactiveOutput(terminal(0), {})).toBe(false);
    expect(interactiveOutput(terminal(80), { CI: 'true' })).toBe(false);
    expect(interactiveOutput({ isTTY: false } as NodeJS.WriteStream, {})).toBe(false);
  });
});
