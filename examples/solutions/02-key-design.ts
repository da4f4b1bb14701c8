// Reference solution for exercise 2. Try the exercise before reading this.
import type { ChatRequest } from '../02-key-design/exercise.ts';

export function selectKeyFields(request: ChatRequest): unknown {
  const { model, messages, temperature, maxTokens } = request;
  return { model, messages, temperature, maxTokens };
}
