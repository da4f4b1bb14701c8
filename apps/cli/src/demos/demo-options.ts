import type { SharedFlags } from '../options/shared-options.js';

/** Flags of `prompt-cache demo`. */
export interface DemoFlags extends SharedFlags {
  quick?: boolean;
  advanced?: boolean;
  yes?: boolean;
}

/** The namespace the demos keep to, so they never touch the entries of `ask`. */
export const DEMO_NAMESPACE = 'demo';
