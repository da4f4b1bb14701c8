import { InvalidOptionError } from '@prompt-cache/core';
import type { CredentialDetection } from './credentials.js';
import type { ProviderChoice } from './settings.js';

/** Who answers: Amazon Bedrock, or the local Bedrock simulator. */
export type Provider = Exclude<ProviderChoice, 'auto'>;

/** The provider to use and the one-line notice that says why. */
export interface ProviderDecision {
  provider: Provider;
  reason: string;
}

/**
 * Picks the provider. `auto` uses Bedrock when {@link detectAwsCredentials} found credentials, else the
 * simulator (whose answers are labelled simulated). An explicit choice is always honoured.
 * @example
 * const { provider, reason } = resolveProvider('auto', detectAwsCredentials());
 * console.error(reason); // "provider: simulator (auto: no AWS credentials in ...)"
 */
export function resolveProvider(requested: ProviderChoice, detection: CredentialDetection): ProviderDecision {
  switch (requested) {
    case 'bedrock':
      return {
        provider: 'bedrock',
        reason: detection.found
          ? `provider: bedrock (as asked; ${detection.detail})`
          : `provider: bedrock (as asked, but ${detection.detail}; calls will fail until credentials are configured)`,
      };
    case 'simulator':
      return {
        provider: 'simulator',
        reason: 'provider: simulator (as asked; answers are simulated, not from a model)',
      };
    case 'auto':
      return detection.found
        ? { provider: 'bedrock', reason: `provider: bedrock (auto: ${detection.detail})` }
        : {
            provider: 'simulator',
            reason: `provider: simulator (auto: ${detection.detail}; answers are simulated, not from a model)`,
          };
    default:
      throw new InvalidOptionError(
        `[app-kit] provider must be 'auto', 'bedrock' or 'simulator'; got ${JSON.stringify(requested)}`,
      );
  }
}
