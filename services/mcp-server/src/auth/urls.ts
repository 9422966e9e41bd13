// URL policy shared by every module: OAuth 2.1 §1.5 requires TLS for all endpoints, except
// that loopback addresses (tests, local development) may use plain http.
import { ConfigurationError } from './errors.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True when a URL points at a loopback host. */
export function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname) || /^127(?:\.\d{1,3}){3}$/.test(url.hostname);
}

/** Parses an endpoint URL option: https only, http only for loopback or when explicitly allowed. */
export function checkEndpointUrl(name: string, value: unknown, allowInsecureHttp = false): URL {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigurationError(`${name} must be a non-empty URL string`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${name} is not an absolute URL: ${JSON.stringify(value)}`, `"https://${value}"`);
  }
  if (url.protocol === 'http:' && !isLoopback(url) && !allowInsecureHttp) {
    throw new ConfigurationError(
      `${name} must use https (OAuth 2.1 §1.5); set allowInsecureHttp for non-loopback http`,
      `"${value.replace(/^http:/, 'https:')}"`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`${name} must be an http(s) URL, got ${url.protocol}`);
  }
  return url;
}

/**
 * Canonical form of a resource URI (RFC 8707 §2, MCP "Canonical Server URI"): lowercase
 * scheme and host, no default port, no fragment, no query, and no slash on an empty path.
 */
export function canonicalResourceUri(value: string): string {
  const url = new URL(value);
  url.hash = '';
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}

/** Validates that `value` is already a canonical resource URI, suggesting the fix otherwise. */
export function checkResourceUri(name: string, value: unknown, allowInsecureHttp = false): string {
  const url = checkEndpointUrl(name, value, allowInsecureHttp);
  const raw = value as string;
  // RFC 8707 §2: MUST NOT include a fragment; SHOULD NOT include a query.
  if (raw.includes('#') || url.search !== '') {
    throw new ConfigurationError(`${name} must not contain a query or fragment (RFC 8707 §2)`,
      `"${canonicalResourceUri(raw.split(/[?#]/, 1)[0]!)}"`);
  }
  const canonical = canonicalResourceUri(raw);
  if (canonical !== raw) {
    throw new ConfigurationError(`${name} is not in canonical form: ${JSON.stringify(raw)}`, `"${canonical}"`);
  }
  return canonical;
}
