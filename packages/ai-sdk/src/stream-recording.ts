import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { Clock } from '@prompt-cache/core';

/** One stream part and when it passed, in ms after the stream began. */
export interface RecordedPart {
  part: LanguageModelV3StreamPart;
  atMs: number;
}

export type RecordingOutcome = { parts: RecordedPart[] } | { error: unknown };

/**
 * Passes `source` through to the caller part by part, recording each part as it passes. `onDone` is called once:
 * with the parts when the stream ended cleanly, or with the error when it failed or the caller cancelled it.
 * (A plain TransformStream cannot see a cancel on Node 20, hence the reader.)
 */
export function recordStream(
  source: ReadableStream<LanguageModelV3StreamPart>,
  clock: Clock,
  onDone: (outcome: RecordingOutcome) => void,
): ReadableStream<LanguageModelV3StreamPart> {
  const reader = source.getReader();
  const parts: RecordedPart[] = [];
  const began = clock.now();
  let settled = false;
  const settle = (outcome: RecordingOutcome) => {
    if (settled) return;
    settled = true;
    onDone(outcome);
  };
  return new ReadableStream<LanguageModelV3StreamPart>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            settle({ parts });
            return;
          }
          parts.push({ part: value, atMs: clock.now() - began });
          controller.enqueue(value);
        } catch (error) {
          controller.error(error);
          settle({ error });
        }
      },
      async cancel(reason) {
        settle({ error: reason ?? new Error('[ai-sdk] the stream was cancelled before it finished') });
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Replays recorded parts in order: at once, or with the gaps they had when recorded. */
export function replayStream(
  parts: readonly RecordedPart[],
  pacing: { original: boolean; sleep: (ms: number) => Promise<void> },
): ReadableStream<LanguageModelV3StreamPart> {
  let index = 0;
  return new ReadableStream<LanguageModelV3StreamPart>({
    async pull(controller) {
      const next = parts[index];
      if (!next) {
        controller.close();
        return;
      }
      if (pacing.original && index > 0) {
        const gap = next.atMs - parts[index - 1]!.atMs;
        if (gap > 0) await pacing.sleep(gap);
      }
      index++;
      controller.enqueue(next.part);
    },
  });
}
