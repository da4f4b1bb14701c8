import { objectOf, type RecordedEvent, type ResponseSummary, tokenUsage } from './recorded-response.js';

/** Reads the stop reason and usage of a Converse output; an output without a message is malformed. */
export function summarizeConverseOutput(output: Record<string, unknown>): ResponseSummary {
  const message = objectOf(objectOf(output.output)?.message);
  const summary: ResponseSummary = { complete: Array.isArray(message?.content) };
  if (!summary.complete) summary.problem = 'the answer has no output.message.content';
  if (typeof output.stopReason === 'string') summary.stopReason = output.stopReason;
  const usage = tokenUsage(objectOf(output.usage) ?? {});
  if (usage) summary.usage = usage;
  return summary;
}

/**
 * Reads a ConverseStream recording. It is complete only when a `messageStop` (with its stop reason) was
 * followed by the `metadata` event that carries the usage, as Bedrock always sends them.
 */
export function summarizeConverseStream(events: readonly RecordedEvent[]): ResponseSummary {
  let stopped = false;
  let metadataAfterStop = false;
  const summary: ResponseSummary = { complete: false };
  for (const { event } of events) {
    const messageStop = objectOf(event.messageStop);
    if (messageStop) {
      stopped = true;
      if (typeof messageStop.stopReason === 'string') summary.stopReason = messageStop.stopReason;
    }
    const metadata = objectOf(event.metadata);
    if (metadata) {
      if (stopped) metadataAfterStop = true;
      const usage = tokenUsage(objectOf(metadata.usage) ?? {});
      if (usage) summary.usage = usage;
    }
  }
  summary.complete = stopped && metadataAfterStop;
  if (!stopped) summary.problem = 'the stream ended without a messageStop event';
  else if (!metadataAfterStop) summary.problem = 'the stream ended without its metadata event';
  return summary;
}
