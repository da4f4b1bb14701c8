/** How prompt text is folded before hashing, so near-identical prompts share a key. Off by default. */
export interface NormalizeOptions {
  /** Remove leading and trailing whitespace. Default `true`. */
  trim?: boolean;
  /** Turn every run of whitespace into one space. Default `true`. */
  collapseWhitespace?: boolean;
  /** Lower-case (locale-independent). Default `true`. */
  foldCase?: boolean;
  /** Remove straight and curly quotes and backticks. Default `false`. */
  stripQuotes?: boolean;
  /** Remove trailing `?`, `!`, `.` and the like. Default `false`. */
  stripTrailingPunctuation?: boolean;
  /**
   * Only strings held by properties of these names are normalized (e.g. `['text']` for Bedrock
   * content blocks). Default: every string in the key material.
   */
  fields?: readonly string[];
}

export type NormalizeSetting = boolean | NormalizeOptions;

/** Returns a function that normalizes one string, or `undefined` when normalization is off. */
export function createTextNormalizer(
  setting: NormalizeSetting | undefined,
): ((text: string) => string) | undefined {
  if (!setting) return undefined;
  const options = setting === true ? {} : setting;
  const trim = options.trim ?? true;
  const collapse = options.collapseWhitespace ?? true;
  const fold = options.foldCase ?? true;
  const quotes = options.stripQuotes ?? false;
  const trailing = options.stripTrailingPunctuation ?? false;
  return (text) => {
    let result = text;
    if (quotes) result = result.replace(/["'`\u2018\u2019\u201C\u201D]/g, '');
    if (collapse) result = result.replace(/\s+/g, ' ');
    if (trim || trailing) result = result.trim();
    if (trailing) result = result.replace(/[\s?!.,;:\u3002\uFF1F\uFF01]+$/u, '');
    if (fold) result = result.toLowerCase();
    return result;
  };
}

/** Applies `normalizeText` to the strings of `value` (a copy; the input is never changed). */
export function normalizeStrings(
  value: unknown,
  normalizeText: (text: string) => string,
  fields?: readonly string[],
): unknown {
  const only = fields ? new Set(fields) : undefined;
  const visit = (item: unknown, apply: boolean): unknown => {
    if (typeof item === 'string') return apply ? normalizeText(item) : item;
    if (Array.isArray(item)) return item.map((element) => visit(element, apply));
    if (
      item === null ||
      typeof item !== 'object' ||
      ArrayBuffer.isView(item) ||
      item instanceof ArrayBuffer
    ) {
      return item;
    }
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(item)) copy[key] = visit(child, only ? only.has(key) : true);
    return copy;
  };
  return visit(value, !only);
}
