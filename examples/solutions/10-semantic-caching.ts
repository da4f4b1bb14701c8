// Reference solution for exercise 10. Try the exercise before reading this.
import type { GuardRule } from '@prompt-cache/semantic';

const TIME =
  /\b(?:(this|next|last)\s+(week|month|year|weekend|morning|evening)|now|today|tonight|tomorrow|yesterday)\b/g;

/** The times a text names, lower case, each phrase with its words joined by one space. */
function timesOf(text: string): Set<string> {
  const times = new Set<string>();
  for (const match of text.toLowerCase().matchAll(TIME)) {
    times.add(match[1] ? `${match[1]} ${match[2]}` : match[0]);
  }
  return times;
}

export const timeRule: GuardRule = (query, cached) => {
  const queryTimes = timesOf(query);
  const cachedTimes = timesOf(cached);
  if (queryTimes.size === 0 || cachedTimes.size === 0) return undefined;
  const same = queryTimes.size === cachedTimes.size && [...queryTimes].every((time) => cachedTimes.has(time));
  return same ? undefined : `time ${[...queryTimes].join(',')}/${[...cachedTimes].join(',')}`;
};
