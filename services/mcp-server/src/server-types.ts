/** Public types users import when writing tools, prompts and resources. */
export type { AuditEvent, ServerInfo } from './mcp/services.js';
export type { AppState, RequestContext, ClientInput, InputRequest } from './mcp/context.js';
export type { Principal } from './mcp/principal.js';
