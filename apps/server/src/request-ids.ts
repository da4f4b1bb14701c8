import { randomUUID } from 'node:crypto';

/** Ids handed out under one random prefix before the next is drawn. */
const IDS_PER_PREFIX = 0x10000;

let prefix = '';
let next = IDS_PER_PREFIX;

/**
 * A request id for `x-amzn-requestid`, shaped like Bedrock's (a version 4 UUID): the first 32 characters of a
 * random UUID, drawn once per 65,536 ids, and a counter in the last 4 hex digits. Unique within the process and,
 * by the 118 random bits of its prefix, across processes; a fresh `randomUUID()` per request cost a hit about as
 * much as recording it.
 */
export function requestId(): string {
  if (next === IDS_PER_PREFIX) {
    prefix = randomUUID().slice(0, 32);
    next = 0;
  }
  // The counter as 4 hex digits: 0x10000 + n is 5 digits, the first of them a 1.
  return prefix + (IDS_PER_PREFIX + next++).toString(16).slice(1);
}
