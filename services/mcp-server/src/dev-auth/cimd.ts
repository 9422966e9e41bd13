// OAuth Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document), the
// registration the MCP authorization spec recommends: the client_id is an https URL, and the
// authorization server fetches the client's metadata from it. Plugged into oidc-provider as the
// `Client` adapter's find for URL-shaped ids (Client.find asks the adapter for ids it does not
// know statically), so every endpoint resolves such clients the same way.
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { errors } from 'oidc-provider';
import { fetchJsonObject, FetchJsonError, type FetchLike } from '../auth/fetch-json.js';
import { applyDcrPolicy } from './dcr-policy.js';
import { isLoopbackHost } from './loopback.js';

/** Client metadata documents are small; anything larger is refused while it streams in. */
export const CIMD_MAX_BYTES = 5 * 1024;
export const CIMD_TIMEOUT_MS = 3000;
/** Cache lifetime without (or above) a Cache-Control max-age, in seconds. */
export const CIMD_DEFAULT_TTL_S = 300;
export const CIMD_MAX_TTL_S = 3600;
export const CIMD_MAX_ENTRIES = 100;

/** Resolves a host name to all its addresses (injectable for tests). */
export type HostLookup = (host: string) => Promise<string[]>;

/** Options for CIMD resolution (defaults in parentheses). */
export interface CimdOptions {
  /** Fetch for the documents (global fetch). */
  readonly fetch?: FetchLike;
  /** DNS lookup for the SSRF guard (node:dns lookup, all addresses). */
  readonly lookup?: HostLookup;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /** Upper bound of the cache lifetime in seconds, whatever the document's Cache-Control says. */
  readonly maxTtlSeconds?: number;
  readonly maxEntries?: number;
}

/** A client_id URL or document that is not acceptable; `message` says which rule failed. */
export class CimdError extends Error {
  override readonly name = 'CimdError';
}

/** True for ids that are meant as metadata document URLs (they are resolved, or refused, as such). */
export function isCimdClientId(id: string): boolean {
  return /^https?:\/\//i.test(id);
}

/**
 * The URL rules: https (http only on a loopback host), a path other than `/`, no fragment,
 * no credentials, no dot segments, no raw whitespace or backslashes (the raw string is checked,
 * since URL parsing would silently normalise those away).
 */
export function validateClientIdUrl(id: string): URL {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f\\]/.test(id)) throw new CimdError('client_id URL contains whitespace, control characters or backslashes');
  const url = URL.canParse(id) ? new URL(id) : undefined;
  if (!url) throw new CimdError('client_id is not a valid URL');
  const scheme = /^([a-z]+):\/\//i.exec(id)?.[1]?.toLowerCase();
  if (scheme === 'http') {
    if (!isLoopbackHost(url.hostname)) throw new CimdError('client_id URL must use https (http only on loopback)');
  } else if (scheme !== 'https') {
    throw new CimdError('client_id URL must use https');
  }
  const rest = id.slice(`${scheme}://`.length);
  const authority = rest.split(/[/?#]/, 1)[0]!;
  if (authority.includes('@')) throw new CimdError('client_id URL must not contain credentials');
  if (id.includes('#')) throw new CimdError('client_id URL must not contain a fragment');
  const rawPath = rest.slice(authority.length).split('?', 1)[0]!;
  if (rawPath === '' || rawPath === '/') throw new CimdError('client_id URL must have a path');
  if (rawPath.split('/').some((seg) => ['.', '..'].includes(seg.replace(/%2e/gi, '.')))) {
    throw new CimdError('client_id URL must not contain dot segments');
  }
  return url;
}

// Everything an https client_id may not reach: loopback, private, link-local, CGNAT, ULA,
// documentation, benchmarking, multicast and reserved ranges (RFC 6890 special-purpose).
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32],
  ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(net, bits, 'ipv6');

/** True for an address that is not a public unicast address (IPv4-mapped IPv6 included). */
export function isNonPublicAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  if (/^::ffff:/i.test(bare)) return true; // hex-form mapped addresses: refuse rather than decode
  const family = isIP(bare);
  if (family === 0) return true;
  return blocked.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

const defaultLookup: HostLookup = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * SSRF guard: an https client_id must name a public host — every address it resolves to is
 * checked. http is only accepted for loopback (validateClientIdUrl), the one place this
 * loopback-bound development server may fetch from itself.
 */
export async function assertFetchableHost(url: URL, lookup: HostLookup = defaultLookup): Promise<void> {
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) throw new CimdError('client_id URL must use https (http only on loopback)');
    return;
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) throw new CimdError(`client_id host ${host} is loopback`);
  const literal = host.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0) {
    if (isNonPublicAddress(literal)) throw new CimdError(`client_id host ${host} is not a public address`);
    return;
  }
  let addresses: string[];
  try {
    addresses = await lookup(host);
  } catch (cause) {
    throw new CimdError(`client_id host ${host} does not resolve`, { cause });
  }
  if (addresses.length === 0) throw new CimdError(`client_id host ${host} does not resolve`);
  const bad = addresses.find(isNonPublicAddress);
  if (bad !== undefined) throw new CimdError(`client_id host ${host} resolves to a non-public address (${bad})`);
}

// Metadata that would make the server fetch further URLs (unguarded by the SSRF check) or
// that only makes sense for confidential clients with a shared secret.
const FORBIDDEN = ['client_secret', 'client_secret_expires_at', 'jwks_uri', 'sector_identifier_uri', 'request_uris',
  'registration_access_token', 'registration_client_uri'];

/**
 * Validates a fetched document for `id` and returns the client metadata to register: the
 * same policy as anonymous DCR (code flow, every allowed scope as mcp_scopes, loopback
 * redirects → native) and public (`none`) unless the document carries its own `jwks`.
 */
export function validateMetadataDocument(id: string, doc: Record<string, unknown>, allowedScopes: readonly string[],
  oidcScopes: readonly string[]): Record<string, unknown> {
  if (doc.client_id !== id) throw new CimdError('client_id in the metadata document does not equal its URL');
  const present = FORBIDDEN.filter((k) => k in doc);
  if (present.length) throw new CimdError(`metadata document must not contain ${present.join(', ')}`);
  const uris = doc.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === 'string' && URL.canParse(u))) {
    throw new CimdError('metadata document must list redirect_uris (absolute URLs)');
  }
  const method = doc.token_endpoint_auth_method ?? 'none';
  const hasJwks = typeof doc.jwks === 'object' && doc.jwks !== null && Array.isArray((doc.jwks as { keys?: unknown }).keys);
  if (method !== 'none' && !(method === 'private_key_jwt' && hasJwks)) {
    throw new CimdError(`token_endpoint_auth_method ${String(method)} not allowed: use none, or private_key_jwt with jwks`);
  }
  const metadata: Record<string, unknown> = { ...doc, token_endpoint_auth_method: method };
  // A published document serves many servers: its `scope` is not refused, every allowed scope applies.
  delete metadata.scope;
  try {
    applyDcrPolicy(metadata, allowedScopes, oidcScopes);
  } catch (err) {
    throw new CimdError((err as { error_description?: string }).error_description ?? (err as Error).message);
  }
  return metadata;
}

/** TTL in seconds from Cache-Control (max-age; no-store/no-cache → 0), clamped to the max. */
export function cacheTtl(cacheControl: string | null, maxTtl: number): number {
  if (cacheControl && /(^|,)\s*(no-store|no-cache)\s*(,|$)/i.test(cacheControl)) return 0;
  const maxAge = cacheControl ? /(?:^|,)\s*max-age\s*=\s*(\d+)/i.exec(cacheControl)?.[1] : undefined;
  return Math.min(maxTtl, maxAge !== undefined ? Number(maxAge) : CIMD_DEFAULT_TTL_S);
}

/** Resolves (and caches) client metadata for metadata-document client ids. */
export interface CimdResolver {
  /** Client metadata for `id`; throws oidc-provider errors (invalid_client / invalid_client_metadata). */
  find(id: string): Promise<Record<string, unknown>>;
}

/** Creates the resolver: validation, SSRF guard, bounded fetch, bounded cache with a TTL cap. */
export function createCimdResolver(policy: { allowedScopes: readonly string[]; oidcScopes: readonly string[] },
  opts: CimdOptions = {}): CimdResolver {
  const fetchImpl = opts.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const maxTtl = Math.min(opts.maxTtlSeconds ?? CIMD_MAX_TTL_S, CIMD_MAX_TTL_S);
  const maxEntries = opts.maxEntries ?? CIMD_MAX_ENTRIES;
  const cache = new Map<string, { metadata: Record<string, unknown>; expires: number }>();
  const pending = new Map<string, Promise<Record<string, unknown>>>();

  async function load(id: string): Promise<Record<string, unknown>> {
    try {
      await assertFetchableHost(validateClientIdUrl(id), opts.lookup);
    } catch (err) {
      throw new errors.InvalidClient(`client_id metadata document refused: ${(err as Error).message}`);
    }
    let cacheControl: string | null = null;
    const recording: FetchLike = async (input, init) => {
      const res = await fetchImpl(input, init);
      cacheControl = res.headers.get('cache-control');
      return res;
    };
    let doc: Record<string, unknown>;
    try {
      doc = await fetchJsonObject(recording, id, opts.timeoutMs ?? CIMD_TIMEOUT_MS, opts.maxBytes ?? CIMD_MAX_BYTES);
    } catch (err) {
      const why = err instanceof FetchJsonError ? err.message : 'fetch failed';
      throw new errors.InvalidClient(`client_id metadata document could not be fetched: ${why}`);
    }
    let metadata: Record<string, unknown>;
    try {
      metadata = validateMetadataDocument(id, doc, policy.allowedScopes, policy.oidcScopes);
    } catch (err) {
      throw new errors.InvalidClientMetadata(`client_id metadata document invalid: ${(err as Error).message}`);
    }
    const ttl = cacheTtl(cacheControl, maxTtl);
    if (ttl > 0) {
      cache.delete(id);
      while (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(id, { metadata, expires: Date.now() + ttl * 1000 });
    }
    return metadata;
  }

  return {
    async find(id) {
      const hit = cache.get(id);
      if (hit && hit.expires > Date.now()) return structuredClone(hit.metadata);
      if (hit) cache.delete(id);
      let request = pending.get(id);
      if (!request) {
        request = load(id).finally(() => pending.delete(id));
        pending.set(id, request);
      }
      return request;
    },
  };
}

/** Wraps oidc-provider's `Client` adapter: URL-shaped ids are resolved as metadata documents. */
export function withCimd<T extends object>(adapter: T, resolver: CimdResolver): T {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === 'find') {
        return async (id: string) => (isCimdClientId(id) ? resolver.find(id) : (target as { find(i: string): Promise<unknown> }).find(id));
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
