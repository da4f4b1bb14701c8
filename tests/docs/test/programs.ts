import type { CodeBlock } from './markdown-blocks.ts';

/** One TypeScript program made of documentation blocks: a block, plus the blocks that continue it. */
export interface Program {
  /** A file name that says where the program comes from, e.g. `packages-bedrock-README-31.ts`. */
  name: string;
  blocks: CodeBlock[];
  /** Runnable programs run; fragments are only type-checked. */
  runnable: boolean;
}

/** Groups a page's TypeScript blocks into programs. A `continues` block needs a program before it. */
export function programsOf(blocks: CodeBlock[]): Program[] {
  const programs: Program[] = [];
  for (const block of blocks) {
    if (block.language !== 'ts') continue;
    if (block.kind === 'continues') {
      const previous = programs.at(-1);
      if (!previous || previous.blocks[0]!.file !== block.file || !previous.runnable) {
        throw new Error(
          `${block.file}:${block.line}: "continues" needs a whole program (a plain ts block) before it`,
        );
      }
      previous.blocks.push(block);
      continue;
    }
    const name = `${block.file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${block.line}.ts`;
    programs.push({ name, blocks: [block], runnable: block.kind === 'program' });
  }
  return programs;
}

/** Where a program's line comes from: `file:line` in the documentation. */
export function sourceLine(program: Program, line: number): string {
  let first = 1;
  for (const block of program.blocks) {
    const count = block.code.split('\n').length;
    if (line < first + count) return `${block.file}:${block.line + line - first + 1}`;
    first += count;
  }
  return `${program.blocks[0]!.file}:${program.blocks[0]!.line}`;
}

/**
 * The text of a program, block after block, one line of text per line of documentation (so errors map back).
 * `export {}` at the end makes a block without imports a module, where top-level `await` is allowed.
 */
export function programText(program: Program, replacements: Array<[string, string]> = []): string {
  let text = `${program.blocks.map((block) => block.code).join('\n')}\nexport {};\n`;
  for (const [from, to] of replacements) text = text.split(from).join(to);
  return text;
}
