import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Generation } from '@langchain/core/outputs';
import type { ConverseContentBlock, ConverseRequest, ConverseResponse } from '../fixtures.js';
import { SimulatedChatModel } from './langchain-chat-model.js';

type LangChainContent = string | Array<Record<string, unknown>>;

function contentOf(blocks: ConverseContentBlock[]): LangChainContent {
  if (blocks.length === 1 && 'text' in blocks[0]!) return blocks[0].text;
  return blocks.map((block) =>
    'text' in block
      ? { type: 'text', text: block.text }
      : {
          // LangChain's standard (v1) image content block.
          type: 'image',
          mimeType: `image/${block.image.format}`,
          data: Buffer.from(block.image.source.bytes).toString('base64'),
        },
  );
}

/** A Converse request as the messages a LangChain user would pass to `model.invoke(messages)`. */
export function toLangChainMessages(request: ConverseRequest): BaseMessage[] {
  const messages: BaseMessage[] = request.system.map((block) => new SystemMessage(block.text));
  for (const message of request.messages) {
    const content = contentOf(message.content);
    messages.push(
      message.role === 'user'
        ? new HumanMessage({ content } as ConstructorParameters<typeof HumanMessage>[0])
        : new AIMessage({ content } as ConstructorParameters<typeof AIMessage>[0]),
    );
  }
  return messages;
}

/** What LangChain caches for a chat answer: one generation holding the AI message. */
export function toLangChainGenerations(response: ConverseResponse): Generation[] {
  const text = answerText(response);
  const message = new AIMessage({
    content: text,
    response_metadata: { stopReason: response.stopReason, usage: response.usage, metrics: response.metrics },
  });
  return [{ text, message } as Generation];
}

/** The answer text of a Converse response. */
export function answerText(response: ConverseResponse): string {
  return response.output.message.content.map((block) => ('text' in block ? block.text : '')).join('');
}

/** A chat model configured like the Converse requests of the fixtures (same model and inference settings). */
export function chatModelFor(
  request: ConverseRequest,
  fields: Pick<ConstructorParameters<typeof SimulatedChatModel>[0], 'cache' | 'respond'>,
): SimulatedChatModel {
  return new SimulatedChatModel({
    model: request.modelId,
    temperature: request.inferenceConfig.temperature,
    maxTokens: request.inferenceConfig.maxTokens,
    topP: request.inferenceConfig.topP,
    ...fields,
  });
}
