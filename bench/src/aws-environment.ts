/** What keeps the AWS SDK off the network and quiet: no EC2 metadata lookups, no Node-version warning. */
const AWS_SDK_ISOLATION = {
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

/** Isolates the AWS SDK in this process. The bench only ever talks to the local simulator, with static credentials. */
export function isolateAwsSdk(): void {
  Object.assign(process.env, AWS_SDK_ISOLATION);
}

/**
 * The environment of a child process the bench starts: this one's, without a developer's PROMPT_CACHE_* or AWS_*
 * settings (so they cannot change what is measured), with the AWS SDK isolated and no colour.
 */
export function isolatedChildEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('PROMPT_CACHE_') && !name.startsWith('AWS_')) environment[name] = value;
  }
  return { ...environment, ...AWS_SDK_ISOLATION, NO_COLOR: '1' };
}
