// Reference solution for exercise 7. Try the exercise before reading this.
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { type RecordedResponse, withCacheControl } from '@prompt-cache/bedrock';

const DOES_NOT_KNOW = /\bi(?:\s+do\s+not|\s+don['’]t)\s+know\b|\bi(?:['’]m|\s+am)\s+not\s+sure\b/i;

export function cacheWhen(response: RecordedResponse, _input: Record<string, unknown>): boolean {
  const answer = answerOf(response);
  if (!answer) return true; // InvokeModel: a native body this rule does not read
  if (answer.text.trim() === '' && !answer.usesTool) return false;
  return !DOES_NOT_KNOW.test(answer.text);
}

export function askLive(
  client: BedrockRuntimeClient,
  input: ConverseCommandInput,
): Promise<ConverseCommandOutput> {
  return client.send(withCacheControl(new ConverseCommand(input), { mode: 'bypass' }));
}

interface Block {
  text?: string;
  toolUse?: unknown;
}

/** The text of a Converse answer (its content blocks) or of a ConverseStream answer (its deltas). */
function answerOf(response: RecordedResponse): { text: string; usesTool: boolean } | undefined {
  if (response.operation === 'Converse') {
    const output = response.fields.output as { message?: { content?: Block[] } } | undefined;
    const blocks = output?.message?.content ?? [];
    return {
      text: blocks.map((block) => block.text ?? '').join(''),
      usesTool: blocks.some((block) => block.toolUse),
    };
  }
  if (response.operation === 'ConverseStream') {
    const events = (response.events ?? []).map(({ event }) => event) as Array<{
      contentBlockDelta?: { delta?: Block };
      contentBlockStart?: { start?: Block };
    }>;
    return {
      text: events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join(''),
      usesTool: events.some((event) => event.contentBlockStart?.start?.toolUse),
    };
  }
  return undefined;
}
