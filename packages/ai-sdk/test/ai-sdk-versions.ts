import type { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import type { generateText, streamText, wrapLanguageModel } from 'ai';

const nodeMajor = Number(process.versions.node.split('.')[0]);

/**
 * ai 7 (and @ai-sdk/amazon-bedrock 5) need Node 22. On Node 20 their tests are skipped, loudly; on Node 22 or later
 * they always run (`.ci/run` runs the suite under Node 22 and 24), so CI can never skip them.
 */
export const AI7_RUNS = nodeMajor >= 22;
if (!AI7_RUNS) {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! The ai 7 tests are SKIPPED: ai 7 needs Node 22 or later, and this is Node ${process.versions.node}.\n!! Run them with Node 22 or 24 (.ci/run does).\n${line}\n`,
  );
}

/** The parts of one AI SDK major the tests drive: the real functions and the real Bedrock provider. */
export interface AiSdk {
  generateText: typeof generateText;
  streamText: typeof streamText;
  wrapLanguageModel: typeof wrapLanguageModel;
  createAmazonBedrock: typeof createAmazonBedrock;
}

/**
 * Both majors, installed side by side (ai 7 under the npm alias `ai7`, its Bedrock provider as `amazon-bedrock5`).
 * ai 7's functions are called through ai 6's signatures here, which they accept; ai7.test.ts checks its own types.
 */
export const AI_SDK_MAJORS: {
  name: string;
  runs: boolean;
  /** The `specificationVersion` of the provider's models. */
  specificationVersion: 'v3' | 'v4';
  load: () => Promise<AiSdk>;
}[] = [
  {
    name: 'ai 6 and @ai-sdk/amazon-bedrock 4',
    runs: true,
    specificationVersion: 'v3',
    load: async () => ({ ...(await import('ai')), ...(await import('@ai-sdk/amazon-bedrock')) }),
  },
  {
    name: `ai 7 and @ai-sdk/amazon-bedrock 5${AI7_RUNS ? '' : ' (skipped: ai 7 needs Node 22)'}`,
    runs: AI7_RUNS,
    specificationVersion: 'v4',
    load: async () =>
      ({ ...(await import('ai7')), ...(await import('amazon-bedrock5')) }) as unknown as AiSdk,
  },
];
