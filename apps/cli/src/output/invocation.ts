/**
 * How the user runs this CLI again, for the hints it prints: `pnpm prompt-cache` when it was started through
 * pnpm (`pnpm demo` in a clone, where a bare `prompt-cache` is not on the PATH), else `prompt-cache`.
 */
export function invocation(environment: NodeJS.ProcessEnv = process.env): string {
  const throughPnpm =
    environment.npm_lifecycle_event !== undefined && /pnpm/.test(environment.npm_execpath ?? '');
  return throughPnpm ? 'pnpm prompt-cache' : 'prompt-cache';
}

/** `Next: a · b`, each command prefixed with the invocation. */
export function nextCommands(commands: string[], environment: NodeJS.ProcessEnv = process.env): string {
  const prefix = invocation(environment);
  return `Next: ${commands.map((command) => `${prefix} ${command}`).join(' · ')}`;
}
