// Public surface of the Express-free OAuth 2.1 resource-server core.
export { AuthError, ConfigurationError, isAuthError } from './errors.js';
export type { AuthErrorCode, AuthErrorOptions, AuthErrorStatus, AuthScheme, BearerErrorCode } from './errors.js';
export { createPrincipal, requireScopes, scopesFromClaims, tokenOf } from './principal.js';
export type { Principal } from './principal.js';
export { DEFAULT_MAX_TOKEN_BYTES, extractBearerToken, findNonHeaderToken, nonHeaderTokenError } from './bearer.js';
export type { BearerExtraction, BearerOptions, NonHeaderTokenInput, NonHeaderTokenLocation } from './bearer.js';
export { createTokenCache, hashToken } from './token-cache.js';
export type { TokenCache, TokenCacheOptions } from './token-cache.js';
export { ASYMMETRIC_ALGORITHMS } from './algorithms.js';
export { discoverIssuerMetadata, discoveryUrls } from './issuer-metadata.js';
export type { IssuerMetadata } from './issuer-metadata.js';
export type { FetchLike } from './fetch-json.js';
export type { ComponentStatus, LastError, ReadinessState, VerifierStatus } from './readiness.js';
export { createJwtVerifier } from './jwt-verifier.js';
export type { JwtIssuerOptions, JwtVerifier, JwtVerifierOptions } from './jwt-verifier.js';
export type { ClientAuthOptions } from './as-client.js';
export { createIntrospectionVerifier } from './introspection-verifier.js';
export type { IntrospectionVerifier, IntrospectionVerifierOptions } from './introspection-verifier.js';
export { createTokenVerifier, isJwtShaped } from './verify.js';
export type { TokenVerifier, TokenVerifierOptions } from './verify.js';
export { buildChallenge, NO_CREDENTIALS, quoteHeaderValue } from './challenge.js';
export type { Challenge, ChallengeOptions } from './challenge.js';
export {
  buildProtectedResourceMetadata,
  protectedResourceMetadataPaths,
  protectedResourceMetadataUrl,
} from './protected-resource-metadata.js';
export type { ProtectedResourceMetadata, ProtectedResourceMetadataOptions } from './protected-resource-metadata.js';
export { canonicalResourceUri } from './urls.js';
export { createTokenExchanger } from './token-exchange.js';
export type { ExchangedToken, ExchangeRequest, TokenExchanger, TokenExchangerOptions } from './token-exchange.js';
export { accessTokenHash, boundThumbprint, createDpopProofVerifier, DEFAULT_DPOP_ALGORITHMS, normalizeHtu } from './dpop.js';
export type { DpopProof, DpopProofInput, DpopProofVerifier, DpopProofVerifierOptions } from './dpop.js';
export { createDpopNonces } from './dpop-nonce.js';
export type { DpopNonceOptions, DpopNonces } from './dpop-nonce.js';
export { createCredentialVerifier } from './dpop-auth.js';
export type { CredentialVerifier, CredentialVerifierOptions, DpopPolicy, RequestCredentials } from './dpop-auth.js';
