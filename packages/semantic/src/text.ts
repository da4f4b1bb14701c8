/** Text analysis shared by the lexical score and the guard. Every function is pure and case-folds. */

const WORD = /[a-z0-9]+(?:[._-][a-z0-9]+)*/g;
const QUOTES = /[`"'\u201c\u201d\u2018\u2019]/g;

/** Lower case, quotes dropped (so "don't" reads "dont"), whitespace collapsed. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(QUOTES, '').replace(/\s+/g, ' ').trim();
}

/** Words, keeping dotted and dashed names whole (`v2.3`, `gpt-4`, `node_modules`). */
export function wordsOf(text: string): string[] {
  return normalizeText(text).match(WORD) ?? [];
}

/** Character 3- to 5-grams of each word, padded with a space on both sides: robust to typos and inflection. */
export function charGramsOf(text: string): string[] {
  const grams: string[] = [];
  for (const word of wordsOf(text)) {
    const padded = ` ${word} `;
    for (let size = 3; size <= 5; size++) {
      const last = Math.max(1, padded.length - size + 1);
      for (let start = 0; start < last; start++) grams.push(padded.slice(start, start + size));
    }
  }
  return grams;
}

/** A light suffix stripper: enough to match `logs` with `log` and `installed` with `install`. */
export function stem(word: string): string {
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

const STOP_WORDS = new Set(
  (
    'a an the of to in on for is are was were be been do does did i you we it this that what which how can could ' +
    'would should will my your me with by as at from and or there their its about any some please tell ' +
    'us our am has have had just also into than then so if'
  ).split(' '),
);

/** Words that carry meaning: the words minus the most common function words. */
export function contentWordsOf(text: string): string[] {
  return wordsOf(text).filter((word) => !STOP_WORDS.has(word));
}
