// Keycloak-style `${...}` substitution for the realm file, so the same JSON drives Keycloak's
// --import-realm and this development server. Keycloak's StringPropertyReplacer semantics:
// `${NAME}`, `${env.NAME}`, `${A,B}` (first that is set) and `${NAME:default}`.
import { randomBytes } from 'node:crypto';

/** Environment lookup used for substitution (defaults to process.env). */
export type EnvLookup = Readonly<Record<string, string | undefined>>;

/** Result of substituting one realm document. */
export interface Substituted<T> {
  readonly value: T;
  /** Placeholders that had neither a value nor a default: NAME → generated random secret. */
  readonly generated: Readonly<Record<string, string>>;
}

const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** A random secret of letters and digits (start.sh keeps secrets JSON-safe the same way). */
export function randomSecret(): string {
  return randomBytes(24).toString('base64url').replace(/[-_]/g, 'x');
}

/**
 * Replaces placeholders in every string of a JSON value. Keycloak leaves an unset placeholder
 * without default literally in place; a literal `${NAME}` secret would be guessable, so here it
 * becomes a per-process random value instead, reported in `generated` (one value per NAME).
 * `${client_id}`-style protocol-mapper templates are left alone: they are not environment names
 * (lower case), matching how Keycloak only resolves them later, per token.
 */
export function substitutePlaceholders<T>(input: T, env: EnvLookup): Substituted<T> {
  const generated: Record<string, string> = {};
  const resolve = (expr: string, whole: string): string => {
    const colon = expr.indexOf(':');
    const names = (colon === -1 ? expr : expr.slice(0, colon)).split(',').map((n) => n.trim());
    if (names.some((n) => !/^(env\.)?[A-Z][A-Z0-9_]*$/.test(n))) return whole;
    for (const n of names) {
      const v = env[n.startsWith('env.') ? n.slice(4) : n];
      if (v !== undefined && v !== '') return v;
    }
    if (colon !== -1) return expr.slice(colon + 1);
    const key = names[0]!.replace(/^env\./, '');
    return (generated[key] ??= randomSecret());
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(PLACEHOLDER, (whole, expr: string) => resolve(expr, whole));
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return { value: walk(input) as T, generated };
}
