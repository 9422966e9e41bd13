/**
 * Hand-written JSON for the per-request log lines: the fields are known, so a line is one
 * template string instead of winston's format pipeline (object copies, key sorting, a generic
 * serializer). The output is byte for byte what that pipeline wrote for the same fields (keys
 * in the same sorted order), except that U+2028/U+2029 are escaped too.
 */

/** Longest string value logged as is; longer ones are cut, as `sanitize` does. */
export const MAX_VALUE = 512;

// Characters that need escaping in a JSON string, plus the two line separators some log
// shippers split on, plus surrogates (a lone one is not valid UTF-8 and must become \uXXXX).
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/** A JSON string literal for `s`, truncated like `sanitize` (over MAX_VALUE characters). */
export function jsonString(s: string): string {
  const v = s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…(${s.length} chars)` : s;
  if (!NEEDS_ESCAPE.test(v)) return `"${v}"`;
  // JSON.stringify escapes quotes, backslashes, controls and lone surrogates (well-formed JSON.stringify).
  return JSON.stringify(v).replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

/** A JSON number (JSON has no NaN or Infinity: those become null, as JSON.stringify does). */
export function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** `,"key":<string>` for a defined string, '' for undefined (JSON drops undefined members). */
export function optionalMember(key: string, value: string | undefined): string {
  return value === undefined ? '' : `,"${key}":${jsonString(value)}`;
}

/** ISO-8601 timestamps, formatted once per millisecond (lines in a burst share one). */
export function createTimestamps(now: () => number = Date.now): () => string {
  let lastMs = NaN;
  let last = '';
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      last = new Date(ms).toISOString();
    }
    return last;
  };
}
