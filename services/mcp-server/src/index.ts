/**
 * The public API of mcp-resource-server: define tools, prompts and resources; compose a
 * server; serve it over Streamable HTTP (Express) or STDIO.
 */
export { defineTool, definePrompt, defineResource, defineResourceTemplate } from './mcp/define.js';
export type { ToolDefinition, PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolResult, PromptResult, PromptMessage, ToolAnnotations, Icon, Completer, ReadResult, Listing } from './mcp/define.js';
export * from './mcp/content.js';
export { ToolError, McpError, InsufficientScopeError } from './mcp/errors.js';
export type { McpErrorCode } from './mcp/errors.js';
export { localPrincipal, allows } from './mcp/principal.js';
export type { AuditEvent, ServerInfo, AppState, RequestContext, ClientInput, InputRequest, Principal } from './server-types.js';
export { createMcpServer } from './server.js';
export type { McpServer, McpServerOptions, Lifespan } from './server.js';
export { createApp } from './http/app.js';
export { HeadResponse } from './http/response-headers.js';
export type { AppOptions } from './http/app.js';
export { RefusedError } from './http/endpoint-options.js';
export { serveStdio } from './stdio/stdio-server.js';
export { Registry } from './mcp/registry.js';
export { MODERN_VERSION, LEGACY_VERSIONS, SUPPORTED_VERSIONS } from './mcp/protocol.js';
export { createLogger, silentLogger } from './logging/logger.js';
export type { Logger } from './logging/logger.js';
