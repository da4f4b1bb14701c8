import { type Command, Option } from 'commander';
import { runAdvancedDemo } from '../demos/advanced-demo.js';
import { DEMO_NAMESPACE, type DemoFlags } from '../demos/demo-options.js';
import { runLearningDemo } from '../demos/learning-demo.js';
import { runQuickDemo } from '../demos/quick-demo.js';
import { UsageError } from '../errors.js';
import { modelOptions, storeOptions, ttlOption, yesOption } from '../options/shared-options.js';

export function registerDemo(program: Command): void {
  const command = program
    .command('demo')
    .description('the interactive learning demo: how a prompt cache works, one step at a time')
    .addOption(new Option('--quick', 'one question asked twice, compared side by side'))
    .addOption(
      new Option(
        '--advanced',
        'the full tour: a file cache that survives restarts, key design, refresh and bypass, TTL, keys, inspect, prune, clear and detailed statistics',
      ),
    )
    .addOption(
      yesOption('run straight through without waiting for Enter (also when stdin is not a terminal)'),
    )
    .addHelpText(
      'after',
      `
The default demo asks 6 questions, 3 of them repeats, and explains each step: the key, hit or miss and
why, and the time and money saved. Without AWS credentials the local simulator answers (about 1-3 s per
answer, labelled simulated). On a terminal it waits for Enter between steps.

The basic and quick demos use a memory cache; --advanced uses a file cache in a temporary directory
(removed at the end) unless --cache-dir names one. The demos keep to the namespace "demo".

Examples:
  $ prompt-cache demo
  $ prompt-cache demo --quick
  $ prompt-cache demo --advanced
  $ prompt-cache demo --advanced --cache-dir ./demo-cache --yes
  $ prompt-cache demo --provider bedrock --region us-east-1`,
    );
  const storeDefaults = {
    cacheType: 'memory; --advanced: file in a temporary directory',
    namespace: DEMO_NAMESPACE,
  };
  for (const option of [...modelOptions(), ...storeOptions(storeDefaults)]) command.addOption(option);
  command.addOption(ttlOption()).action(async (flags: DemoFlags) => {
    if (flags.quick && flags.advanced) throw new UsageError('choose one of --quick and --advanced');
    if (flags.advanced) await runAdvancedDemo(flags);
    else if (flags.quick) await runQuickDemo(flags);
    else await runLearningDemo(flags);
  });
}
