/**
 * A result whose members are already serialized JSON. List pages are the same for every
 * caller with the same scopes until the catalogue changes, so they are serialized once and
 * the engine splices the text into each response instead of stringifying hundreds of tool
 * descriptors per request.
 */

/** Pre-serialized result members: `"tools":[…],"ttlMs":60000` (no braces). */
export class RawResult {
  constructor(readonly members: string) {}
}

/** Serialize an object's members once, for a RawResult. */
export function rawMembers(value: Record<string, unknown>): RawResult {
  const json = JSON.stringify(value);
  return new RawResult(json.slice(1, -1));
}
