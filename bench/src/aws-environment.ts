/**
 * Keeps the AWS SDK off the network and quiet: no EC2 metadata lookups, no Node-version warning. The bench only
 * ever talks to the local simulator, with static credentials.
 */
export function isolateAwsSdk(): void {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}
