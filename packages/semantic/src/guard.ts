import { contentWordsOf, stem, wordsOf } from './text.js';

/**
 * Why two prompts may ask for different answers even though they read alike, or `undefined`.
 * Embeddings and n-grams score "enable logging" and "disable logging" as near twins; this guard does not.
 */
export type GuardRule = (query: string, cached: string) => string | undefined;

const NEGATORS = new Set(
  'not no never without cannot cant dont doesnt didnt isnt arent wasnt werent wont shouldnt couldnt wouldnt neither nor'.split(
    ' ',
  ),
);

/** Pairs of words with opposite meaning: one on each side (and on one side only) refuses the match. */
export const OPPOSITES: readonly (readonly [string, string])[] = [
  ['enable', 'disable'],
  ['install', 'uninstall'],
  ['increase', 'decrease'],
  ['start', 'stop'],
  ['add', 'remove'],
  ['advantage', 'disadvantage'],
  ['encrypt', 'decrypt'],
  ['on', 'off'],
  ['upgrade', 'downgrade'],
  ['with', 'without'],
  ['import', 'export'],
  ['allow', 'deny'],
  ['allow', 'block'],
  ['show', 'hide'],
  ['lock', 'unlock'],
  ['connect', 'disconnect'],
  ['include', 'exclude'],
  ['min', 'max'],
  ['minimum', 'maximum'],
  ['before', 'after'],
  ['open', 'close'],
  ['create', 'delete'],
  ['create', 'drop'],
  ['activate', 'deactivate'],
  ['true', 'false'],
  ['yes', 'no'],
  ['up', 'down'],
  ['in', 'out'],
  ['load', 'unload'],
  ['mount', 'unmount'],
  ['subscribe', 'unsubscribe'],
  ['encode', 'decode'],
  ['compress', 'decompress'],
  ['first', 'last'],
  ['more', 'less'],
  ['faster', 'slower'],
  ['best', 'worst'],
  ['pros', 'cons'],
  ['safe', 'unsafe'],
  ['sync', 'async'],
  ['push', 'pull'],
  ['read', 'write'],
  ['get', 'set'],
  ['input', 'output'],
  ['upload', 'download'],
  ['zip', 'unzip'],
  ['link', 'unlink'],
  ['to', 'from'],
  ['can', 'cannot'],
  ['always', 'never'],
  ['buy', 'sell'],
  ['win', 'lose'],
  ['above', 'below'],
  ['higher', 'lower'],
  ['larger', 'smaller'],
  ['bigger', 'smaller'],
  ['cheaper', 'dearer'],
  ['north', 'south'],
  ['east', 'west'],
  ['inside', 'outside'],
  ['accept', 'reject'],
  ['success', 'failure'],
  ['public', 'private'],
];

const OPPOSITE_OF = new Map<string, Set<string>>();
for (const [one, other] of OPPOSITES) {
  for (const [word, opposite] of [
    [one, other],
    [other, one],
  ] as const) {
    for (const form of new Set([word, stem(word)])) {
      const set = OPPOSITE_OF.get(form) ?? new Set<string>();
      set.add(opposite).add(stem(opposite));
      OPPOSITE_OF.set(form, set);
    }
  }
}

const NEGATING_PREFIXES = ['un', 'dis', 'de', 'non', 'in', 'im', 'ir', 'il'];

/**
 * "Is it not true that X?" asks whether X, as "Is it true that X?" and "Is X?" do: its "not" negates nothing, so
 * the negation rule reads past it.
 */
const RHETORICAL_NEGATION = /\b(?:(?:is|was) it not|(?:isnt|wasnt) it) (?:true|the case)\b/g;

/** Different negations: "should I use X" against "should I not use X". */
export const negationRule: GuardRule = (query, cached) => {
  const negations = (text: string) =>
    wordsOf(text)
      .join(' ')
      .replace(RHETORICAL_NEGATION, '')
      .split(' ')
      .filter((word) => NEGATORS.has(word))
      .sort()
      .join(' ');
  return negations(query) === negations(cached) ? undefined : 'negation';
};

/** A word on one side only whose opposite is on the other side only ("enable" / "disable", "to" / "from"). */
export const oppositeRule: GuardRule = (query, cached) => {
  const queryWords = new Set(wordsOf(query));
  const cachedWords = new Set(wordsOf(cached));
  for (const word of queryWords) {
    if (cachedWords.has(word)) continue;
    for (const other of cachedWords) {
      if (queryWords.has(other)) continue;
      if (OPPOSITE_OF.get(word)?.has(other) || OPPOSITE_OF.get(stem(word))?.has(stem(other)))
        return `opposite ${word}/${other}`;
      for (const prefix of NEGATING_PREFIXES) {
        if ((word === prefix + other || other === prefix + word) && Math.min(word.length, other.length) >= 3)
          return `opposite ${word}/${other}`;
      }
    }
  }
  return undefined;
};

/**
 * Actions that undo or take away; one of them on one side only ("disable X" / "configure X") asks for the
 * opposite of what the other side may have been answered. (The constructive ones, "create" / "generate", are
 * too often paraphrased to refuse on.)
 */
const ACTIONS = new Set(
  (
    'disable uninstall decrease remove decrypt downgrade deny block hide disconnect exclude delete drop ' +
    'deactivate unload unmount unsubscribe decompress unzip unlink stop kill reject sell revoke cancel erase purge'
  ).split(' '),
);

/** An undoing action on one side that the other does not mention in any form: "disable X" against "configure X". */
export const actionRule: GuardRule = (query, cached) => {
  const queryWords = wordsOf(query);
  const cachedWords = wordsOf(cached);
  const mentions = (words: string[], action: string) =>
    words.some((word) => stem(word).startsWith(stem(action)));
  for (const [words, other] of [
    [queryWords, cachedWords],
    [cachedWords, queryWords],
  ] as const) {
    for (const word of words) {
      const action = ACTIONS.has(word) ? word : ACTIONS.has(stem(word)) ? stem(word) : undefined;
      if (action && !mentions(other, action)) return `action ${action}`;
    }
  }
  return undefined;
};

const NUMBER = /\d+(?:[.,]\d+)*/g;

/**
 * Different numbers or versions: "Milvus 2.2" against "Milvus 2.3", "3 days" against "5 days". A number on one
 * side only ("Flutter 3.7" against "Flutter") is not a contradiction.
 */
export const numberRule: GuardRule = (query, cached) => {
  const numbersOf = (text: string) => new Set(text.match(NUMBER) ?? []);
  const queryNumbers = numbersOf(query);
  const cachedNumbers = numbersOf(cached);
  if (queryNumbers.size === 0 || cachedNumbers.size === 0) return undefined;
  if (queryNumbers.size !== cachedNumbers.size) return 'number';
  for (const number of queryNumbers) if (!cachedNumbers.has(number)) return 'number';
  return undefined;
};

/** Words written with a capital inside a sentence (names), lower-cased; none for text written in title case. */
function namesOf(text: string): Set<string> {
  const names = new Set<string>();
  // A sentence starts after . ! ? : and at an opening quote or bracket.
  const tokens = text.match(/[\p{L}\p{N}]+(?:[._-][\p{L}\p{N}]+)*|[.!?:"'`([\u201c\u2018]/gu) ?? [];
  let sentenceStart = true;
  let capitalized = 0;
  let words = 0;
  for (const token of tokens) {
    if (!/^[\p{L}\p{N}]/u.test(token)) {
      sentenceStart = true;
      continue;
    }
    words++;
    const isCapital = /^\p{Lu}/u.test(token);
    if (isCapital) capitalized++;
    const word = token.toLowerCase();
    if (isCapital && !sentenceStart && !STOP_NAMES.has(word)) names.add(word);
    sentenceStart = false;
  }
  // Title Case Questions capitalize every word; then capitals say nothing about names.
  return words >= 4 && capitalized > words * 0.6 ? new Set() : names;
}

const STOP_NAMES = new Set([
  'i',
  'a',
  'an',
  'the',
  'this',
  'that',
  'it',
  'is',
  'are',
  'and',
  'or',
  'of',
  'to',
  'in',
]);

/**
 * The names of one side that the other side does not spell out. Spaces are ignored ("Unity 3D" is "Unity3D"),
 * and an acronym matches the initials of capitalized words ("VS2022" is "Visual Studio 2022").
 */
function unmatchedNames(names: Set<string>, otherText: string, otherWords: Set<string>): string[] {
  const compact = otherText.toLowerCase().replace(/[\s_-]+/g, '');
  const initials = (otherText.match(/(?:\p{Lu}[\p{L}]*\s+)+\p{Lu}[\p{L}]*/gu) ?? []).map((run) =>
    run
      .split(/\s+/)
      .map((word) => word[0]!.toLowerCase())
      .join(''),
  );
  return [...names].filter((name) => {
    if (otherWords.has(stem(name)) || compact.includes(name.replace(/[_-]+/g, ''))) return false;
    const letters = name.replace(/\d+/g, '');
    return !(letters.length >= 2 && initials.includes(letters));
  });
}

/**
 * A different named thing: each side names something the other does not mention ("Austria" / "Australia",
 * "France" / "Germany"), or two words spelled alike that are not forms of one word ("austria" / "australia").
 */
export const entityRule: GuardRule = (query, cached) => {
  const queryWords = new Set(wordsOf(query).map(stem));
  const cachedWords = new Set(wordsOf(cached).map(stem));
  const queryNames = unmatchedNames(namesOf(query), cached, cachedWords);
  const cachedNames = unmatchedNames(namesOf(cached), query, queryWords);
  if (queryNames.length > 0 && cachedNames.length > 0) return `entity ${queryNames[0]}/${cachedNames[0]}`;
  const queryContent = new Set(contentWordsOf(query).map(stem));
  const cachedContent = new Set(contentWordsOf(cached).map(stem));
  for (const word of queryContent) {
    if (cachedContent.has(word) || word.length < 5) continue;
    for (const other of cachedContent) {
      if (queryContent.has(other) || other.length < 5) continue;
      if (spelledAlike(word, other)) return `entity ${word}/${other}`;
    }
  }
  return undefined;
};

/** Share a prefix of at least 4 letters, then differ by more than an inflection: "austria" / "australia". */
function spelledAlike(one: string, other: string): boolean {
  let shared = 0;
  while (shared < one.length && shared < other.length && one[shared] === other[shared]) shared++;
  if (shared < 4) return false;
  const restOne = one.slice(shared);
  const restOther = other.slice(shared);
  // A version written into the name ("unity3d"): the number rule's business.
  if (/^\d/.test(restOne) || /^\d/.test(restOther)) return false;
  const inflection =
    /^(e|s|es|ed|er|ers|ing|ion|ions|ation|ations|al|ally|ly|ment|ments|ity|y|ies|ied|ize|ise|ized|ised|able|ible|ive)?$/;
  if (inflection.test(restOne) && inflection.test(restOther)) return false;
  // Both rests short and alike in length: a different word ending in a shared stem (austria/australia).
  return restOne.length + restOther.length >= 2;
}

/** The default rules, in the order their reasons are reported. */
export const DEFAULT_GUARD_RULES: readonly GuardRule[] = [
  negationRule,
  oppositeRule,
  actionRule,
  numberRule,
  entityRule,
];

/** The first reason any rule gives to refuse serving `cached` for `query`. */
export function contradictionOf(
  query: string,
  cached: string,
  rules: readonly GuardRule[] = DEFAULT_GUARD_RULES,
): string | undefined {
  for (const rule of rules) {
    const reason = rule(query, cached);
    if (reason) return reason;
  }
  return undefined;
}
