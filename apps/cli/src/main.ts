#!/usr/bin/env node
// The prompt-cache command. Parsing and the commands live in program.ts; this file only runs it and sets
// the exit code: 0 on success, 2 for usage errors, 1 for everything else.
import { run } from './program.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// `prompt-cache keys | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await run(process.argv);
process.exitCode = code;
// Every command closes what it opened; this only guards against a handle left behind by a dependency.
setTimeout(() => process.exit(code), 3000).unref();
