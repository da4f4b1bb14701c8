// Reference solution for exercise 4. Try the exercise before reading this.
import type { PromptCache } from '@prompt-cache/core';
import type { Question, WarmReport } from '../04-persistence/exercise.ts';

export async function warmCache(
  cache: PromptCache<Question, string>,
  jsonl: string,
  model: (prompt: string) => Promise<string>,
): Promise<WarmReport> {
  const report: WarmReport = { warmed: 0, alreadyCached: 0, failed: [] };
  for (const [index, raw] of jsonl.split(/\r?\n/).entries()) {
    const line = index + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) continue;
    let prompt: string;
    try {
      prompt = promptOf(JSON.parse(text));
    } catch (error) {
      report.failed.push({ line, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    try {
      const result = await cache.getOrCompute({ prompt }, () => model(prompt));
      if (result.status === 'hit') report.alreadyCached++;
      else if (result.stored) report.warmed++;
      else report.failed.push({ line, error: `answered but not stored (${result.notStoredReason})` });
    } catch (error) {
      report.failed.push({ line, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

function promptOf(value: unknown): string {
  const prompt = typeof value === 'object' && value !== null ? (value as { prompt?: unknown }).prompt : value;
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    throw new Error('expected a JSON string or {"prompt": "..."}');
  }
  return prompt;
}
