/** A named pattern that marks text as not to be cached. */
export interface SensitivePattern {
  name: string;
  pattern: RegExp;
  /** Extra check on a match (for example the Luhn checksum of card numbers). */
  verify?: (match: string) => boolean;
}

export type DetectorName = 'email' | 'phone' | 'card' | 'ssn' | 'aws-access-key' | 'ip-address';

export interface SensitiveDataGuardOptions {
  /** Built-in detectors to use. Default: all of them. */
  detectors?: readonly DetectorName[];
  /** Patterns of your own, e.g. `{ name: 'employee-id', pattern: /\bEMP-\d{6}\b/ }`. */
  patterns?: readonly SensitivePattern[];
  /** Also scan the response (an answer can echo personal data). Default `true`. */
  scanResponse?: boolean;
}

export const BUILT_IN_DETECTORS: Readonly<Record<DetectorName, SensitivePattern>> = {
  email: { name: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/ },
  card: {
    name: 'card',
    pattern: /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g,
    verify: (match) => luhn(match.replace(/\D/g, '')),
  },
  // Digit groups that continue on either side are not a phone number (they may be an order or card number).
  phone: {
    name: 'phone',
    pattern:
      /(?<![\w.]|\d[\s.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.-]\d{3,4}[\s.-]\d{3,4}(?![\w.]|[\s.-]\d)/,
  },
  ssn: { name: 'ssn', pattern: /(?<!\d)(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!\d)/ },
  'aws-access-key': { name: 'aws-access-key', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  'ip-address': {
    name: 'ip-address',
    pattern:
      /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.])|\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b/i,
  },
};

/**
 * Returns a `guard` for `createPromptCache`: the name of the first detector that matches any string in the
 * request (or response), or `undefined`. A flagged call is still answered, just not cached.
 */
export function createSensitiveDataGuard(
  options: SensitiveDataGuardOptions = {},
): (request: unknown, response?: unknown) => string | undefined {
  const detectors = [
    ...(options.detectors ?? (Object.keys(BUILT_IN_DETECTORS) as DetectorName[])).map(
      (name) => BUILT_IN_DETECTORS[name],
    ),
    ...(options.patterns ?? []),
  ];
  const scanResponse = options.scanResponse ?? true;
  const check = (text: string): string | undefined => {
    for (const detector of detectors) {
      const pattern = new RegExp(detector.pattern.source, detector.pattern.flags.replace('g', '') + 'g');
      for (const match of text.matchAll(pattern)) {
        if (!detector.verify || detector.verify(match[0])) return detector.name;
      }
    }
    return undefined;
  };
  return (request, response) => scan(request, check) ?? (scanResponse ? scan(response, check) : undefined);
}

function scan(value: unknown, check: (text: string) => string | undefined): string | undefined {
  if (typeof value === 'string') return check(value);
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return undefined;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const found = scan(item, check);
    if (found) return found;
  }
  return undefined;
}

/** The Luhn checksum that every real card number passes. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length >= 13 && sum % 10 === 0;
}
