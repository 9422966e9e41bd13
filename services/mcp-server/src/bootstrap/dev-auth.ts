/**
 * Development mode: with no issuer configured, `npm start` brings up the embedded development
 * authorization server (src/dev-auth, loopback only, demo users from the realm file) and points
 * the resource server at it, so OAuth works out of the box. Never in production.
 */
import { ConfigError, type Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { AuthSource } from './auth-from-config.js';
import { isLoopbackBind } from '../http/origin-guard.js';


/** A started development AS and the auth source that trusts it. */
export interface DevAuth { source: AuthSource; close(): Promise<void> }

/** Start the development AS for `resource`. */
export async function startDevAuth(config: Config, resource: string, declaredScopes: readonly string[], logger: Logger): Promise<DevAuth> {
  if (config.NODE_ENV === 'production') throw new ConfigError('The development authorization server never runs with NODE_ENV=production: set MCP_AUTH_ISSUERS');
  if (!isLoopbackBind(config.HOST)) {
    throw new ConfigError(`The development authorization server only serves a loopback-bound server (HOST=${config.HOST}). Set MCP_AUTH_ISSUERS to a real issuer, or HOST=127.0.0.1.`);
  }
  // Imported lazily: oidc-provider is loaded only when development mode actually uses it.
  const { createDevAuthServer } = await import('../dev-auth/index.js');
  const port = config.MCP_DEV_AUTH_PORT;
  const as = await createDevAuthServer({
    resource,
    host: '127.0.0.1',
    port,
    ...(port !== 0 ? { issuer: `http://localhost:${port}` } : {}),
    log: (line) => logger.warn(line),
  });
  logger.warn('DEVELOPMENT authorization server running: demo users and in-memory keys, never use it in production', {
    issuer: as.issuer,
    users: Object.keys(as.credentials.passwords),
  });
  return {
    source: { resource, issuers: [as.issuer], declaredScopes, serverClient: { id: 'mcp-server', secret: as.credentials.clientSecrets['mcp-server'] } },
    close: () => as.close(),
  };
}
