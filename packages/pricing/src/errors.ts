/**
 * Stable error codes of `@prompt-cache/pricing`; callers branch on `error.code`, never on message text.
 * - `INVALID_PRICE_FILE`: a price-override file that cannot be read, is not JSON, or holds a bad field.
 * - `INVALID_OPTION`: a bad option given to {@link createPricing}, such as a negative override price.
 * - `INVALID_ARGUMENT`: a bad argument to a cost function, such as negative token counts.
 */
export type PricingErrorCode = 'INVALID_PRICE_FILE' | 'INVALID_OPTION' | 'INVALID_ARGUMENT';

/**
 * The one error class this package throws. It mirrors `PromptCacheError` from `@prompt-cache/core`
 * (a `code` and a `cause`) without depending on it, since `pricing` depends on no other package of ours.
 * Messages are one line, name the package and say what to fix, e.g.
 * `[pricing] prices.json: "amazon.x".input must be a number >= 0 (USD per 1M tokens), got -1`.
 */
export class PricingError extends Error {
  /** What went wrong, as a stable code. */
  readonly code: PricingErrorCode;

  /**
   * @param code - the stable error code.
   * @param message - a one-line message that names the package and the fix.
   * @param options - `cause`: the underlying error, if any.
   */
  constructor(code: PricingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
