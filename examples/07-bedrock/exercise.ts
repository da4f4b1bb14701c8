// Exercise 7: your own caching rules for a Bedrock client.
//
// The cache never stores errors, partial streams, guardrail blocks or truncated answers. Add two rules of your own:
//
// 1. `cacheWhen(response, input)`, given to withPromptCache({ store, cacheWhen }). Return false (do not store)
//    when the answer's text is empty or blank, or when it says the model does not know: it contains
//    "I don't know", "I do not know", "I'm not sure" or "I am not sure" (any letter case; the apostrophe
//    may be ' or ’). Such answers must be asked again next time: the model, or its documents, may know later.
//    The text of a Converse answer is in `response.fields.output.message.content`: join the `text` of its blocks.
//    Return true for everything else, and for other operations (`response.operation !== 'Converse'`), unless you
//    also read their text (a ConverseStream answer keeps it in `response.events`; the check sends Converse only).
// 2. `askLive(client, input)`: send a Converse call that neither reads nor writes the cache (a user asked for a
//    live answer), with `withCacheControl` from @prompt-cache/bedrock.
//
// The check sends real SDK calls through the Bedrock simulator, and counts the calls that reach it. Then run:
//   pnpm exercise 07-bedrock
import type {
  BedrockRuntimeClient,
  ConverseCommandInput,
  ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import type { RecordedResponse } from '@prompt-cache/bedrock';

export function cacheWhen(response: RecordedResponse, input: Record<string, unknown>): boolean {
  void response;
  void input;
  throw new Error('Exercise 7: implement cacheWhen in examples/07-bedrock/exercise.ts');
}

export async function askLive(
  client: BedrockRuntimeClient,
  input: ConverseCommandInput,
): Promise<ConverseCommandOutput> {
  void client;
  void input;
  throw new Error('Exercise 7: implement askLive in examples/07-bedrock/exercise.ts');
}
