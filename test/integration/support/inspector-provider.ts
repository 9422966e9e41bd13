/**
 * An OAuthClientProvider for the official SDK v1 client that behaves like MCP Inspector's
 * (inspector/client/src/lib/auth.ts): it registers itself dynamically as "MCP Inspector"
 * with a public client (token_endpoint_auth_method none), redirect URI
 * http://localhost:6274/oauth/callback, grant types authorization_code + refresh_token, and
 * the scope the SDK resolved from the 401 challenge / protected resource metadata. Instead of
 * navigating a browser window, redirectToAuthorization records the URL for the test to open.
 */
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/** Inspector's callback on its default port (6274). */
export const INSPECTOR_REDIRECT = 'http://localhost:6274/oauth/callback';

export class InspectorLikeProvider implements OAuthClientProvider {
  /** The authorization URLs the SDK asked us to open, in order. */
  readonly authorizationUrls: URL[] = [];
  private client?: OAuthClientInformationMixed;
  private stored?: OAuthTokens;
  private verifier?: string;
  private discovery?: OAuthDiscoveryState;
  private lastState?: string;
  /** Every token set the SDK saved (after the code exchange, after each refresh). */
  readonly savedTokens: OAuthTokens[] = [];

  get redirectUrl(): string {
    return INSPECTOR_REDIRECT;
  }

  get clientMetadata(): OAuthClientMetadata {
    // Inspector's metadata; its `scope` is empty here, so the SDK uses the challenge's scope
    // (SEP-835: WWW-Authenticate scope, then PRM scopes_supported, then this value).
    return {
      redirect_uris: [INSPECTOR_REDIRECT],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      client_name: 'MCP Inspector',
      client_uri: 'https://github.com/modelcontextprotocol/inspector',
    };
  }

  state(): string {
    this.lastState = randomBytes(16).toString('base64url');
    return this.lastState;
  }

  /** The state sent with the last authorization request (the callback must echo it). */
  get expectedState(): string | undefined {
    return this.lastState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.client = info;
  }

  tokens(): OAuthTokens | undefined {
    return this.stored;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.stored = tokens;
    this.savedTokens.push(tokens);
  }

  /** Test hook: replace the stored access token (e.g. with an expired or garbled one). */
  replaceAccessToken(accessToken: string): void {
    if (!this.stored) throw new Error('no tokens yet');
    this.stored = { ...this.stored, access_token: accessToken };
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    this.authorizationUrls.push(authorizationUrl);
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('no code verifier saved');
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }
}
