/**
 * The official TypeScript SDK v2, served the way its Express guide recommends
 * (docs/serving/express.md): createMcpHandler(factory) with a fresh McpServer per request,
 * adapted once with toNodeHandler, mounted on createMcpExpressApp (express.json() plus Host
 * and Origin validation), body passed through as req.body.
 *
 *   --issuer URL   authenticated, as the @modelcontextprotocol/express README wires a resource
 *                  server: mcpAuthMetadataRouter at the root (RFC 9728 + the issuer's RFC 8414
 *                  document) and requireBearerAuth on /mcp with expectedResource, its
 *                  OAuthTokenVerifier a jose jwtVerify against createRemoteJWKSet (RS256,
 *                  issuer, audience, typ at+jwt). Without it: unauthenticated.
 */
import { createServer } from 'node:http';
import { createMcpExpressApp, getOAuthProtectedResourceMetadataUrl, mcpAuthMetadataRouter, requireBearerAuth } from '@modelcontextprotocol/express';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer, OAuthError, OAuthErrorCode, type AuthInfo, type OAuthMetadata } from '@modelcontextprotocol/server';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as z from 'zod/v4';
import { announce, arg, RESOURCE, TOOL } from '../lib/common.js';

const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'sdk-v2-bench', version: '0.0.0' });
  server.registerTool(TOOL, { description: 'Echoes the text back', inputSchema: z.object({ text: z.string().describe('Text to echo') }) },
    async ({ text }) => ({ content: [{ type: 'text', text }] }));
  return server;
});
const app = createMcpExpressApp();
const node = toNodeHandler(handler);
const issuer = arg('issuer');
if (issuer) {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      try {
        const { payload } = await jwtVerify(token, jwks, { issuer, audience: RESOURCE, algorithms: ['RS256'], typ: 'at+jwt' });
        return {
          token, clientId: String(payload.client_id ?? ''), scopes: String(payload.scope ?? '').split(' ').filter(Boolean),
          ...(payload.exp !== undefined ? { expiresAt: payload.exp } : {}), resource: new URL(RESOURCE),
        };
      } catch (e) {
        throw new OAuthError(OAuthErrorCode.InvalidToken, e instanceof Error ? e.message : 'invalid token');
      }
    },
  };
  const oauthMetadata = await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json() as OAuthMetadata;
  app.use(mcpAuthMetadataRouter({ oauthMetadata, resourceServerUrl: new URL(RESOURCE), scopesSupported: ['mcp:tools'], dangerouslyAllowInsecureIssuerUrl: true }));
  app.use('/mcp', requireBearerAuth({ verifier, expectedResource: new URL(RESOURCE), resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(new URL(RESOURCE)) }));
}
app.all('/mcp', (req, res) => void node(req, res, req.body));
await announce(createServer(app), '/mcp', () => handler.close());
