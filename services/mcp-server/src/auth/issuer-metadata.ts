// Authorization server metadata discovery (RFC 8414, OpenID Connect Discovery 1.0), in the
// order the MCP authorization spec ("Authorization Server Metadata Discovery") prescribes.
import { fetchJsonObject, FetchJsonError } from './fetch-json.js';
import type { FetchLike } from './fetch-json.js';

/** The metadata fields the auth core uses (RFC 8414 §2). */
export interface IssuerMetadata {
  readonly issuer: string;
  readonly jwks_uri?: string;
  readonly token_endpoint?: string;
  readonly introspection_endpoint?: string;
  readonly id_token_signing_alg_values_supported?: readonly string[];
  readonly [field: string]: unknown;
}

/**
 * Candidate metadata URLs for an issuer. With a path component (https://as/tenant):
 * RFC 8414 §3.1 path insertion, OIDC path insertion, then OIDC path appending.
 * Without a path: RFC 8414 then OIDC at the root.
 */
export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  if (path === '') {
    return [`${url.origin}/.well-known/oauth-authorization-server`, `${url.origin}/.well-known/openid-configuration`];
  }
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

/** Fetches and validates issuer metadata, trying each discovery URL in turn. */
export async function discoverIssuerMetadata(
  issuer: string,
  fetchImpl: FetchLike,
  timeoutMs: number,
): Promise<IssuerMetadata> {
  const failures: string[] = [];
  let lastCause: unknown;
  for (const url of discoveryUrls(issuer)) {
    let doc: Record<string, unknown>;
    try {
      doc = await fetchJsonObject(fetchImpl, url, timeoutMs);
    } catch (err) {
      lastCause = err;
      failures.push(err instanceof Error ? err.message : String(err));
      continue; // 404 is expected for the forms the AS does not serve
    }
    // RFC 8414 §3.3: the issuer value MUST be identical to the one the URL was derived from,
    // otherwise the metadata MUST NOT be used (mix-up / impersonation defence).
    if (doc.issuer !== issuer) {
      failures.push(`metadata at ${url} names issuer ${JSON.stringify(doc.issuer)}`);
      continue;
    }
    return doc as IssuerMetadata;
  }
  throw new FetchJsonError(`metadata discovery failed for ${issuer}: ${failures.join('; ')}`, undefined, {
    cause: lastCause,
  });
}
