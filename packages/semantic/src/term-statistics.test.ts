import { describe, expect, it } from 'vitest';
import { TermStatistics } from './term-statistics.js';
import { charGramsOf } from './text.js';

/** The TF-IDF cosine written the plain way, with maps and a logarithm a term. */
function naiveCosine(statistics: TermStatistics, query: string, entry: string): number {
  const weights = (text: string) => {
    const counts = new Map<string, number>();
    for (const gram of charGramsOf(text)) counts.set(gram, (counts.get(gram) ?? 0) + 1);
    const vector = statistics.vectorOf(charGramsOf(text), false);
    const byGram = new Map<string, number>();
    for (const [gram, count] of counts) {
      const id = statistics.vectorOf([gram], false).ids[0]!;
      byGram.set(gram, (1 + Math.log(count)) * statistics.idf(id));
    }
    expect(vector.ids.length).toBe(byGram.size);
    return byGram;
  };
  const one = weights(query);
  const other = weights(entry);
  let dot = 0;
  for (const [gram, weight] of one) dot += weight * (other.get(gram) ?? 0);
  const norm = (vector: Map<string, number>) =>
    Math.sqrt([...vector.values()].reduce((sum, w) => sum + w * w, 0));
  return dot / (norm(one) * norm(other));
}

describe('TermStatistics.cosine', () => {
  it('equals the plain TF-IDF cosine, with repeated terms and query terms no entry has', () => {
    const statistics = new TermStatistics();
    const texts = [
      'how do I rotate nginx logs',
      'rotate rotate the apache logs daily',
      'what is the retention of logs in milvus',
      'milvus milvus index types',
    ];
    for (const text of texts) {
      statistics.count(statistics.vectorOf(charGramsOf(text), true), 1);
      statistics.documents++;
    }
    const query = 'rotate zanzibar logs of nginx nginx';
    const weighted = statistics.weigh(statistics.vectorOf(charGramsOf(query), false));
    for (const text of texts) {
      const entry = statistics.vectorOf(charGramsOf(text), false);
      expect(statistics.cosine(weighted, entry)).toBeCloseTo(naiveCosine(statistics, query, text), 10);
    }
  });
});
