import { decodeFrame } from '@prompt-cache/bedrock-simulator';

/** The text of an answer, and whether it arrived whole. */
export interface Reading {
  text: string;
  /** Unary: a message and a stop reason. Stream: every frame whole, ending with messageStop then metadata. */
  complete: boolean;
  /** Why it is not complete, in a few words. */
  problem?: string;
}

/** Reads a Converse answer (JSON). */
export function readConverse(body: Buffer): Reading {
  try {
    const answer = JSON.parse(body.toString('utf8')) as {
      output?: { message?: { content?: Array<{ text?: string }> } };
      stopReason?: string;
    };
    const text = (answer.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
    if (!answer.stopReason) return { text, complete: false, problem: 'no stopReason' };
    return { text, complete: text.length > 0, ...(text ? {} : { problem: 'no text' }) };
  } catch {
    return { text: '', complete: false, problem: 'not JSON' };
  }
}

/** Reads a ConverseStream answer (AWS event-stream frames). An exception frame is not a complete answer. */
export function readConverseStream(body: Buffer): Reading {
  const events: string[] = [];
  let text = '';
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < 4) return { text, complete: false, problem: 'a torn frame' };
    const length = body.readUInt32BE(offset);
    if (length < 16 || offset + length > body.length)
      return { text, complete: false, problem: 'a torn frame' };
    const frame = decodeFrame(body.subarray(offset, offset + length));
    offset += length;
    if (frame.headers[':message-type'] !== 'event') {
      return { text, complete: false, problem: `an ${String(frame.headers[':exception-type'])} frame` };
    }
    const event = String(frame.headers[':event-type']);
    events.push(event);
    if (event === 'contentBlockDelta')
      text += (frame.body as { delta?: { text?: string } }).delta?.text ?? '';
  }
  const ending = events.slice(-2).join(',');
  if (ending !== 'messageStop,metadata') {
    return { text, complete: false, problem: `ends with ${ending || 'nothing'}, not messageStop,metadata` };
  }
  return { text, complete: true };
}
