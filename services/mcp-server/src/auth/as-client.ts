// Builds an openid-client Configuration for the resource server's own calls to the AS
// (introspection, token exchange). Discovery reuses issuer-metadata.ts so both forms of
// path insertion are tried, exactly as for JWT verification.
import * as client from 'openid-client';
import type { CryptoKey, ServerMetadata } from 'openid-client';
import { ConfigurationError } from './errors.js';
import { boundedFetch, type FetchLike } from './fetch-json.js';
import { discoverIssuerMetadata } from './issuer-metadata.js';
import { checkIssuer } from './options.js';
import { checkEndpointUrl, isLoopback } from './urls.js';

/** How the resource server authenticates to the AS (RFC 7662 §2.1 requires some authentication). */
export type ClientAuthOptions =
  | { readonly method: 'client_secret_basic'; readonly clientSecret: string }
  | { readonly method: 'client_secret_post'; readonly clientSecret: string }
  | { readonly method: 'private_key_jwt'; readonly privateKey: CryptoKey; readonly kid?: string }
  | { readonly method: 'none' };

/** Connection settings for an authorization server. */
export interface AsClientOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientAuth: ClientAuthOptions;
  /** Endpoints that skip discovery when set. */
  readonly endpoints?: { readonly introspection_endpoint?: string; readonly token_endpoint?: string };
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly allowInsecureHttp: boolean;
}

const METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];

/** Converts validated client-auth options to openid-client's ClientAuth. */
function toClientAuth(auth: ClientAuthOptions): client.ClientAuth {
  switch (auth.method) {
    case 'client_secret_basic': return client.ClientSecretBasic(auth.clientSecret);
    case 'client_secret_post': return client.ClientSecretPost(auth.clientSecret);
    case 'private_key_jwt':
      return client.PrivateKeyJwt(auth.kid === undefined ? auth.privateKey : { key: auth.privateKey, kid: auth.kid });
    case 'none': return client.None();
  }
}

/** Validates AS client options eagerly and returns a lazy, memoised Configuration factory. */
export function createAsClient(options: AsClientOptions, required: 'introspection_endpoint' | 'token_endpoint'):
  () => Promise<client.Configuration> {
  const issuer = checkIssuer('issuer', options.issuer, options.allowInsecureHttp);
  if (typeof options.clientId !== 'string' || options.clientId === '') {
    throw new ConfigurationError('clientId must be a non-empty string');
  }
  const auth = options.clientAuth as { method?: unknown; clientSecret?: unknown; privateKey?: unknown };
  if (!auth || !METHODS.includes(auth.method as string)) {
    const near = METHODS.find((m) => m.replace(/_/g, '') === String(auth?.method).toLowerCase().replace(/[_-]/g, ''));
    throw new ConfigurationError(`clientAuth.method must be one of ${METHODS.join(', ')}`, near && `"${near}"`);
  }
  if (String(auth.method).startsWith('client_secret') && (typeof auth.clientSecret !== 'string' || auth.clientSecret === '')) {
    throw new ConfigurationError(`clientAuth.clientSecret is required for ${String(auth.method)}`);
  }
  if (auth.method === 'private_key_jwt' && auth.privateKey === undefined) {
    throw new ConfigurationError('clientAuth.privateKey is required for private_key_jwt');
  }
  const explicit = options.endpoints?.[required];
  if (explicit !== undefined) checkEndpointUrl(required, explicit, options.allowInsecureHttp);
  const clientAuth = toClientAuth(options.clientAuth);
  let pending: Promise<client.Configuration> | undefined;

  const build = async (): Promise<client.Configuration> => {
    const metadata = explicit !== undefined
      ? { issuer, ...options.endpoints }
      : await discoverIssuerMetadata(issuer, options.fetch, options.timeoutMs);
    const endpoint = checkEndpointUrl(required, metadata[required], options.allowInsecureHttp);
    const config = new client.Configuration(metadata as ServerMetadata, options.clientId, undefined, clientAuth);
    // Introspection and token-exchange responses are capped as they stream and time out as a
    // whole, like metadata and JWKS fetches (fetch-json.ts).
    const bounded = boundedFetch(options.fetch, options.timeoutMs);
    config[client.customFetch] = (url, init) => bounded(url, init as RequestInit);
    config.timeout = Math.ceil(options.timeoutMs / 1000);
    // openid-client is https-only; plain http passed the same policy check above.
    if (endpoint.protocol === 'http:' && (isLoopback(endpoint) || options.allowInsecureHttp)) {
      client.allowInsecureRequests(config);
    }
    return config;
  };

  return () => {
    pending ??= build().catch((err: unknown) => {
      pending = undefined; // retry discovery on the next call
      throw err;
    });
    return pending;
  };
}
