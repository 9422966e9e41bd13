// Option validation helpers: options are checked once, at creation, so a misconfiguration
// fails the process at startup instead of failing (or silently passing) requests later.
import { ConfigurationError } from './errors.js';
import { checkEndpointUrl } from './urls.js';

/** Validates a positive integer option, throwing ConfigurationError otherwise. */
export function checkPositiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigurationError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Validates a finite non-negative number option. */
export function checkNonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigurationError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Validates an optional function option (clock, fetch). */
export function checkFunction<T>(name: string, value: T | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw new ConfigurationError(`${name} must be a function`);
  return value;
}

/** Validates the accepted audiences (RFC 8707 resource indicators): absolute URIs or plain names. */
export function checkAudiences(name: string, value: readonly string[] | undefined): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigurationError(`${name} must be a non-empty array of audience strings`);
  }
  for (const aud of value) {
    if (typeof aud !== 'string' || aud === '') throw new ConfigurationError(`${name} contains an empty value`);
    if (/^https?:\/\/.*\/$/.test(aud) && new URL(aud).pathname !== '/') {
      // Audiences are compared as exact strings, so a stray slash silently rejects every token.
      throw new ConfigurationError(`${name}: "${aud}" ends with a slash`, `"${aud.slice(0, -1)}"`);
    }
  }
  return Object.freeze([...value]);
}

/** Validates an issuer identifier (RFC 8414 §2: https URL, no query or fragment). */
export function checkIssuer(name: string, value: unknown, allowInsecureHttp: boolean): string {
  const url = checkEndpointUrl(name, value, allowInsecureHttp);
  if (url.search !== '' || url.hash !== '' || (value as string).includes('#')) {
    throw new ConfigurationError(`${name} must not contain a query or fragment (RFC 8414 §2)`);
  }
  return value as string;
}

/** Rejects option keys that are not known, with a "did you mean" for near-misses. */
export function checkKnownKeys(name: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const lower = key.toLowerCase().replace(/[_-]/g, '');
    const near = known.find((k) => k.toLowerCase() === lower || k.toLowerCase().startsWith(lower.slice(0, 5)));
    throw new ConfigurationError(`${name}: unknown option "${key}"`, near && `"${near}"`);
  }
}
