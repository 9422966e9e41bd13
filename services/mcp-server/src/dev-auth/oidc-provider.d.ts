// Minimal ambient types for oidc-provider v9, which ships no declarations. Only the surface
// dev-auth uses is typed; everything else stays `unknown` on purpose.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** Koa context as far as dev-auth reads it. */
  export interface KoaContextWithOIDC {
    method: string;
    path: string;
    ip: string;
    status: number;
    type: string;
    body: unknown;
    oidc: {
      route?: string;
      client?: Client;
      params?: Record<string, unknown>;
      provider: Provider;
    };
  }

  /** A registered client (camel-cased metadata). */
  export interface Client {
    clientId: string;
    clientAuthMethod: string;
    /** The registered `client_name` (RFC 7591 §2), if any. */
    clientName?: string;
    scope?: string;
    /** dev-auth's own client metadata: the MCP (resource) scopes this client may request. */
    mcp_scopes?: string;
    grantTypeAllowed(grantType: string): boolean;
  }

  /** A grant being assembled during consent. */
  export interface Grant {
    addOIDCScope(scope: string): void;
    rejectOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  /** Interaction session details (provider.interactionDetails). */
  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    grantId?: string;
  }

  /** Koa middleware signature. */
  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  /** The provider (a Koa application). */
  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    proxy: boolean;
    Grant: (new (init: { accountId: string; clientId: string }) => Grant) & {
      find(id: string): Promise<Grant | undefined>;
    };
    Client: { find(id: string): Promise<Client | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: Middleware): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    registerGrantType(name: string, handler: (ctx: KoaContextWithOIDC) => Promise<void>,
      params?: readonly string[], dupes?: readonly string[]): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  }

  /** OAuth error classes (statusCode + error code). */
  export const errors: {
    InvalidClient: new (description?: string) => Error;
    InvalidClientMetadata: new (description: string) => Error;
    InvalidGrant: new (description: string) => Error;
    InvalidRequest: new (description: string) => Error;
    InvalidTarget: new (description?: string) => Error;
    UnauthorizedClient: new (description?: string) => Error;
  };

  export default Provider;
}

declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  /** Factory for oidc-provider's in-memory adapter (internal module). */
  export function createMemoryAdapter(clockTolerance?: number): unknown;
}
