import { Option } from 'commander';

/**
 * Flags of every command that reaches a cache, defined once. Their defaults come from environment
 * variables, applied (and validated) by app-kit's `resolveSettings`, so a flag always wins over its variable.
 * A command with defaults of its own (the demos) names them in `defaults`, so its help says what it does.
 */
export function storeOptions(defaults: { cacheType?: string; namespace?: string } = {}): Option[] {
  return [
    new Option(
      '--cache-type <type>',
      `where answers are cached: memory, file or redis (default: ${defaults.cacheType ?? 'file'}; env PROMPT_CACHE_CACHE_TYPE)`,
    ),
    new Option(
      '--cache-dir <dir>',
      'directory of the file cache (default: ~/.cache/prompt-cache; env PROMPT_CACHE_DIR)',
    ),
    new Option(
      '--redis-url <url>',
      'Redis server of the redis cache (default: redis://127.0.0.1:6379; env PROMPT_CACHE_REDIS_URL)',
    ),
    new Option(
      '--namespace <name>',
      `key namespace; caches in other namespaces never meet (default: ${defaults.namespace ?? 'prompt-cache'}; env PROMPT_CACHE_NAMESPACE)`,
    ),
  ];
}

/** `--ttl`, for commands that write entries. */
export function ttlOption(defaultText = '3600; env PROMPT_CACHE_TTL'): Option {
  return new Option(
    '--ttl <seconds>',
    `time to live of new entries in seconds, 0 = no expiry; 30m, 2h, 1d also work (default: ${defaultText})`,
  );
}

/** Flags of every command that reaches a model. */
export function modelOptions(): Option[] {
  return [
    new Option(
      '--provider <provider>',
      'who answers: auto, bedrock or simulator; auto = Bedrock when AWS credentials are configured, else the local simulator (default: auto; env PROMPT_CACHE_PROVIDER)',
    ),
    new Option(
      '--region <region>',
      'AWS region for Bedrock (default: PROMPT_CACHE_REGION, AWS_REGION or AWS_DEFAULT_REGION, else us-east-1)',
    ),
    new Option('--model <id>', 'Bedrock model id (default: amazon.nova-lite-v1:0; env PROMPT_CACHE_MODEL)'),
  ];
}

/** `--semantic`, for commands that look answers up. */
export function semanticOption(): Option {
  return new Option(
    '--semantic',
    'also answer a paraphrase of a cached prompt from its entry, offline, when nothing contradicts it (default: off; env PROMPT_CACHE_SEMANTIC=on)',
  );
}

/** `--yes`, for commands that ask before they go on. */
export function yesOption(description: string): Option {
  return new Option('-y, --yes', description);
}

/** `--json`, for commands whose output a program reads. */
export function jsonOption(description = 'print exactly one JSON object on standard output'): Option {
  return new Option('--json', description);
}

/** Raw values of the shared flags, as commander hands them to an action. */
export interface SharedFlags {
  cacheType?: string;
  cacheDir?: string;
  redisUrl?: string;
  namespace?: string;
  ttl?: string;
  provider?: string;
  region?: string;
  model?: string;
  semantic?: boolean;
  debug?: boolean;
}
