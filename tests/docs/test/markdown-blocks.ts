import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The code blocks of the documentation, and what their info strings promise. A block's info string is its
 * language followed by markers (```ts fragment, ```bash server port=8787):
 *
 * - `ts`: a whole program. It is type-checked and run against the Bedrock simulator.
 * - `ts continues`: goes on from the previous TypeScript block of the same page (same variables); the
 *   program they make together is type-checked and run.
 * - `ts fragment`: a piece of a program the reader writes (it uses names such as `client` that it does not
 *   define). It is type-checked, with only "Cannot find name" forgiven, and not run.
 * - `bash`: every command runs as written from the repository root and must exit 0.
 * - `bash exercise`: an exercise check. It runs as written and must fail with the exercise's own
 *   "Exercise N: implement …" message, since the repository keeps the exercises unsolved.
 * - `bash server`: a command that runs until Ctrl+C (`serve`, `simulator`). It is started, the page's next
 *   blocks run while it is up, then it gets Ctrl+C and must stop cleanly.
 * - `port=N` (bash): the block uses the fixed port N. The test gives N a free port instead, in this block and
 *   in every later block of the page, so that two test runs on one machine never meet.
 */
export type BlockKind = 'program' | 'continues' | 'fragment' | 'command' | 'exercise' | 'server';

export interface CodeBlock {
  /** The page, relative to the repository root. */
  file: string;
  /** The line of the opening fence (1-based). */
  line: number;
  language: 'ts' | 'bash';
  kind: BlockKind;
  /** Fixed ports the block declared with `port=N`. */
  ports: number[];
  code: string;
}

const MARKERS: Record<'ts' | 'bash', Record<string, BlockKind>> = {
  ts: { continues: 'continues', fragment: 'fragment' },
  bash: { exercise: 'exercise', server: 'server' },
};

/** The pages whose code blocks are checked: the README, every package README and every course page. */
export function documentationPages(root: string): string[] {
  const packages = readdirSync(join(root, 'packages'))
    .map((name) => join('packages', name, 'README.md'))
    .filter((file) => readdirSync(join(root, file, '..')).includes('README.md'));
  const course = readdirSync(join(root, 'docs', 'course'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', 'course', name));
  return ['README.md', ...packages.sort(), ...course.sort()];
}

/** The `ts` and `bash` blocks of one page; any other language is left alone. Throws on an unknown marker. */
export function codeBlocks(root: string, file: string): CodeBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(\S*)(.*)$/.exec(lines[index]!);
    if (!fence) continue;
    const start = index;
    let end = index + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    index = end;
    const language = fence[1];
    if (language !== 'ts' && language !== 'bash') continue;
    const words = fence[2]!.trim().split(/\s+/).filter(Boolean);
    let kind: BlockKind = language === 'ts' ? 'program' : 'command';
    const ports: number[] = [];
    for (const word of words) {
      const port = /^port=(\d+)$/.exec(word);
      if (port && language === 'bash') ports.push(Number(port[1]));
      else if (MARKERS[language][word]) kind = MARKERS[language][word]!;
      else
        throw new Error(
          `${relative(root, join(root, file))}:${start + 1}: unknown marker "${word}" on a ${language} block`,
        );
    }
    blocks.push({
      file,
      line: start + 1,
      language,
      kind,
      ports,
      code: lines.slice(start + 1, end).join('\n'),
    });
  }
  return blocks;
}

/** The commands of a shell block: one per line, with `\` continuations joined; comments and blank lines dropped. */
export function shellCommands(code: string): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const line of code.split('\n')) {
    if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    commands.push(`${pending}${line}`.trim());
    pending = '';
  }
  if (pending) commands.push(pending.trim());
  return commands;
}
