#!/usr/bin/env node
// `pnpm exec prompt-cache` in this repository: the CLI from its TypeScript sources (no build needed), run in
// this very process, so a signal sent to it (Ctrl+C, SIGTERM) reaches the CLI itself and `serve` stops cleanly.
import { register } from 'node:module';

register('./source-condition.js', import.meta.url);
const { register: registerTypeScript } = await import('tsx/esm/api');
registerTypeScript();
await import('../src/main.ts');
