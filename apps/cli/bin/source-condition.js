// A module-resolution hook: the workspace packages resolve to their TypeScript sources, as
// `node --conditions=@prompt-cache/source` does in the package scripts.
const SOURCE_CONDITION = '@prompt-cache/source';

export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes(SOURCE_CONDITION)
    ? context.conditions
    : [SOURCE_CONDITION, ...context.conditions];
  return nextResolve(specifier, { ...context, conditions });
}
