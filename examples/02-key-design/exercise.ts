// Exercise 2: write a key strategy.
//
// Your app sends chat requests shaped like `ChatRequest`. Write `selectKeyFields` so that:
//   - requests differing only in `userId`, `traceId` or `stream` share a key (they get the same answer);
//   - any change to `model`, `messages`, `temperature` or `maxTokens` gives a new key.
// Then run:  pnpm exercise 02-key-design
export interface ChatRequest {
  model: string;
  messages: Array<{ role: 'user' | 'assistant'; text: string }>;
  temperature: number;
  maxTokens: number;
  userId: string;
  traceId: string;
  stream: boolean;
}

export function selectKeyFields(request: ChatRequest): unknown {
  void request;
  throw new Error('Exercise 2: implement selectKeyFields in examples/02-key-design/exercise.ts');
}
