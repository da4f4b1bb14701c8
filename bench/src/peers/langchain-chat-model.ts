import type { BaseCache } from '@langchain/core/caches';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

export interface SimulatedChatModelFields {
  /** The Bedrock model id, e.g. `amazon.nova-lite-v1:0`. */
  model: string;
  temperature: number;
  maxTokens: number;
  topP: number;
  /** LangChain's model-level cache (`cache` field of every chat model). */
  cache?: BaseCache;
  /** The upstream call: what a real chat model would send to Bedrock. */
  respond: (messages: BaseMessage[]) => Promise<string>;
}

/**
 * A LangChain chat model whose upstream is a function instead of Bedrock. Everything around the call is
 * LangChain's own `BaseChatModel`: its cache lookup (`cache.lookup(prompt, llmString)`), the prompt string
 * (`getBufferString` of the messages) and the LLM string (`_getSerializedCacheKeyParametersForCall`:
 * identifying parameters and call options). So a cache behaves exactly as it would under ChatBedrockConverse.
 */
export class SimulatedChatModel extends BaseChatModel {
  private readonly fields: SimulatedChatModelFields;

  constructor(fields: SimulatedChatModelFields) {
    super({ cache: fields.cache });
    this.fields = fields;
  }

  _llmType(): string {
    return 'bedrock-converse';
  }

  override _identifyingParams(): Record<string, unknown> {
    const { model, temperature, maxTokens, topP } = this.fields;
    return { model, temperature, maxTokens, topP };
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const text = await this.fields.respond(messages);
    return { generations: [{ text, message: new AIMessage(text) }] };
  }
}
