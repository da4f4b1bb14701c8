import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { converseInputFor, parseWarmFile, promptOf, readRequestFile } from './converse-input.js';

const directory = mkdtempSync(join(tmpdir(), 'app-kit-input-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe('converseInputFor', () => {
  it('makes a one-message Converse input', () => {
    expect(converseInputFor('What is a TTL?', { model: 'm' })).toEqual({
      modelId: 'm',
      messages: [{ role: 'user', content: [{ text: 'What is a TTL?' }] }],
    });
  });

  it('refuses an empty prompt', () => {
    expect(() => converseInputFor('  ', { model: 'm' })).toThrow(/the prompt is empty/);
  });
});

describe('readRequestFile', () => {
  it('reads a Converse input and fills in the model', async () => {
    const path = file('ok.json', JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
    const input = await readRequestFile(path, { model: 'amazon.nova-lite-v1:0' });
    expect(input.modelId).toBe('amazon.nova-lite-v1:0');
    expect(promptOf(input)).toBe('hi');
  });

  it('keeps the model the file names', async () => {
    const path = file(
      'model.json',
      JSON.stringify({ modelId: 'x', messages: [{ role: 'user', content: [] }] }),
    );
    expect((await readRequestFile(path, { model: 'y' })).modelId).toBe('x');
  });

  it.each([
    ['malformed.json', '{"messages": [', /is not valid JSON \(.+\); it must hold one Converse input object/],
    ['array.json', '[]', /must hold a Converse input object/],
    ['no-messages.json', '{"modelId":"x"}', /has no "messages" array/],
    ['bad-message.json', '{"messages":[{"role":"robot","content":[]}]}', /messages\[0\] must be/],
  ])('refuses %s with one line', async (name, text, message) => {
    const promise = readRequestFile(file(name, text), { model: 'm' });
    await expect(promise).rejects.toThrow(message);
    await expect(promise).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await promise.catch((error: Error) => expect(error.message).not.toContain('\n'));
  });

  it('refuses a file over the size limit', async () => {
    const path = file('big.json', `{"messages":[],"pad":"${'x'.repeat(200)}"}`);
    await expect(readRequestFile(path, { model: 'm', maxBytes: 100 })).rejects.toThrow(
      /more than the 100-byte limit/,
    );
  });

  it('names a missing file', async () => {
    await expect(readRequestFile(join(directory, 'nope.json'), { model: 'm' })).rejects.toThrow(
      /cannot read request file .*nope\.json \(ENOENT\)/,
    );
  });
});

describe('parseWarmFile', () => {
  it('reads strings, prompt objects, Converse inputs and plain text; reports bad lines by number', () => {
    const text = [
      '"What is a TTL?"',
      '',
      '# a comment',
      '{"prompt": "What is Redis?", "model": "amazon.nova-micro-v1:0"}',
      '{"messages":[{"role":"user","content":[{"text":"Hi there"}]}]}',
      'plain text prompt',
      '{"prompt": ',
      '{"prompt": 42}',
    ].join('\n');
    const lines = parseWarmFile(text, 'amazon.nova-lite-v1:0');
    expect(lines.map((line) => line.line)).toEqual([1, 4, 5, 6, 7, 8]);
    expect(lines[0]).toMatchObject({ prompt: 'What is a TTL?', input: { modelId: 'amazon.nova-lite-v1:0' } });
    expect(lines[1]).toMatchObject({
      prompt: 'What is Redis?',
      input: { modelId: 'amazon.nova-micro-v1:0' },
    });
    expect(lines[2]).toMatchObject({ prompt: 'Hi there', input: { modelId: 'amazon.nova-lite-v1:0' } });
    expect(lines[3]).toMatchObject({ prompt: 'plain text prompt' });
    expect(lines[4]).toMatchObject({ error: expect.stringMatching(/^not valid JSON/) });
    expect(lines[5]).toMatchObject({ error: '"prompt" must be a string' });
  });
});
