// OAuth 2.0 Protected Resource Metadata (RFC 9728), which MCP clients use to discover the
// authorization server(s) for this resource (MCP authorization spec, "Authorization Server
// Location").
import { ConfigurationError } from './errors.js';
import { checkEndpointUrl, checkResourceUri } from './urls.js';

/** Inputs to the RFC 9728 document builder. */
export interface ProtectedResourceMetadataOptions {
  /** Canonical resource URI, e.g. https://mcp.example.com/mcp. */
  readonly resource: string;
  /** Issuer identifiers of the trusted authorization servers (at least one). */
  readonly authorizationServers: readonly string[];
  /** Scopes clients may request for this resource. */
  readonly scopesSupported?: readonly string[];
  /** Human-readable name. */
  readonly resourceName?: string;
  /** URL of human-readable documentation. */
  readonly resourceDocumentation?: string;
  /** Permit http URLs for non-loopback hosts (development only). */
  readonly allowInsecureHttp?: boolean;
  /** DPoP (RFC 9449 §5.1 of RFC 9728 metadata): proof algorithms, and whether only bound tokens are accepted. */
  readonly dpop?: { readonly algorithms: readonly string[]; readonly required: boolean };
}

/** The RFC 9728 §2 metadata document served by this resource. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly bearer_methods_supported: readonly ['header'];
  readonly resource_name?: string;
  readonly resource_documentation?: string;
  readonly dpop_signing_alg_values_supported?: readonly string[];
  readonly dpop_bound_access_tokens_required?: boolean;
}

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** Builds the RFC 9728 metadata document; throws ConfigurationError on invalid input. */
export function buildProtectedResourceMetadata(options: ProtectedResourceMetadataOptions): ProtectedResourceMetadata {
  const insecure = options.allowInsecureHttp ?? false;
  // RFC 9728 §3.3: the `resource` value MUST be identical to the resource identifier.
  const resource = checkResourceUri('resource', options.resource, insecure);
  if (!Array.isArray(options.authorizationServers) || options.authorizationServers.length === 0) {
    throw new ConfigurationError('authorizationServers must list at least one issuer (MCP: MUST include one)');
  }
  for (const as of options.authorizationServers) checkEndpointUrl('authorizationServers[]', as, insecure);
  if (options.scopesSupported !== undefined) {
    for (const s of options.scopesSupported) {
      // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
      if (typeof s !== 'string' || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s)) {
        throw new ConfigurationError(`scopesSupported contains an invalid scope token: ${JSON.stringify(s)}`);
      }
    }
  }
  if (options.resourceDocumentation !== undefined) {
    checkEndpointUrl('resourceDocumentation', options.resourceDocumentation, insecure);
  }
  return Object.freeze({
    resource,
    authorization_servers: Object.freeze([...options.authorizationServers]),
    ...(options.scopesSupported ? { scopes_supported: Object.freeze([...options.scopesSupported]) } : {}),
    // MCP: tokens only in the Authorization header (RFC 6750 §2.1), never query or body.
    bearer_methods_supported: Object.freeze(['header'] as const),
    ...(options.resourceName !== undefined ? { resource_name: options.resourceName } : {}),
    ...(options.resourceDocumentation !== undefined
      ? { resource_documentation: options.resourceDocumentation }
      : {}),
    // RFC 9728 §2: DPoP algorithms accepted, and whether Bearer is refused (RFC 9449 §7.1).
    ...(options.dpop ? {
      dpop_signing_alg_values_supported: Object.freeze([...options.dpop.algorithms]),
      dpop_bound_access_tokens_required: options.dpop.required,
    } : {}),
  });
}

/**
 * Well-known paths at which to serve the document (RFC 9728 §3.1): the path-suffixed form
 * first (e.g. /.well-known/oauth-protected-resource/mcp), then the root form.
 */
export function protectedResourceMetadataPaths(resource: string): readonly string[] {
  // §3.1: a terminating slash right after the host is dropped; the rest of the path is kept.
  const path = new URL(resource).pathname;
  return path === '/' ? [WELL_KNOWN] : [WELL_KNOWN + path, WELL_KNOWN];
}

/** Absolute URL of the metadata document, for the `resource_metadata` challenge parameter. */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}${protectedResourceMetadataPaths(resource)[0]!}`;
}
