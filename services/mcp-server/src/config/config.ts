/**
 * The only place that reads `process.env`. One zod schema; the result is frozen; a bad value
 * fails start-up with a message naming the variable and how to fix it.
 */
import { z } from 'zod';

const list = z.string().transform((s) => s.split(/[\s,]+/).filter(Boolean));
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** A positive integer setting with an upper bound, a default and a description for errors. */
const posInt = (max: number, fallback: number, what: string) => z.coerce.number().int().min(1).max(max).default(fallback).describe(what);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().regex(/^[A-Za-z0-9.:-]+$/, 'must be an IP address or host name').default('127.0.0.1').describe('interface to bind, e.g. 127.0.0.1 or 0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('TCP port, 0 for any free port'),
  MCP_PATH: z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'must be a path such as /mcp').default('/mcp'),
  MCP_SESSIONS: z.enum(['stateless', 'sessions']).default('stateless').describe('"stateless" or "sessions" (2025 clients with GET streams)'),
  MCP_ALLOWED_ORIGINS: list.optional().describe('comma-separated origins, e.g. http://localhost:6274'),
  MCP_ALLOWED_HOSTS: list.optional().describe('comma-separated Host names accepted; defaults to loopback names on a loopback bind'),
  MCP_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
  MCP_STATE_SECRET: z.string().min(32, 'must be at least 32 characters of random data').optional(),
  MCP_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  MCP_TRUST_PROXY: z.union([bool, z.coerce.number().int().min(0)]).default(false),
  MCP_LOCAL_SUBJECT: z.string().min(1).default('local-user').describe('principal used for STDIO and unauthenticated development'),
  MCP_LOCAL_SCOPES: list.default(['mcp:tools', 'mcp:prompts', 'mcp:resources']),
  MCP_ALLOW_UNAUTHENTICATED_REMOTE: bool.default(false).describe('"true" to serve without authentication on a non-loopback interface (never in production)'),
  // --- OAuth 2.1 resource server (docs/auth.md) ---
  MCP_RESOURCE_URI: z.url({ protocol: /^https?$/ }).optional().describe('the canonical URI clients use for this server, e.g. https://mcp.example.com/mcp (default http://localhost:PORT/mcp)'),
  MCP_AUTH_ISSUERS: list.optional().describe('comma-separated issuer URLs of trusted authorization servers; unset = development mode'),
  MCP_AUTH_JWKS_URI: z.url().optional().describe('JWKS URL of the first issuer, skipping discovery (when the issuer URL is not reachable from the server, e.g. inside docker compose)'),
  MCP_INTROSPECTION_ENDPOINT: z.url().optional().describe('introspection endpoint, skipping discovery'),
  MCP_TOKEN_ENDPOINT: z.url().optional().describe('token endpoint for token exchange, skipping discovery'),
  MCP_AUDIENCES: list.optional().describe('accepted token audiences (default: the resource URI)'),
  MCP_SCOPES_SUPPORTED: list.optional().describe('scopes advertised in the resource metadata (default: every scope a tool, prompt or resource declares)'),
  MCP_CHALLENGE_SCOPES: list.default(['mcp:tools', 'mcp:prompts', 'mcp:resources']).describe('scopes a 401 challenge asks for (privileged ones come by step-up)'),
  MCP_TOKEN_MODE: z.enum(['jwt', 'introspection', 'auto']).default('jwt').describe('jwt, introspection or auto'),
  MCP_INTROSPECTION_CLIENT_ID: z.string().min(1).optional(),
  MCP_INTROSPECTION_CLIENT_SECRET: z.string().min(1).optional(),
  MCP_INTROSPECTION_AUTH_METHOD: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
  MCP_TOKEN_EXCHANGE_CLIENT_ID: z.string().min(1).optional().describe('client for RFC 8693 token exchange (default: the introspection client)'),
  MCP_TOKEN_EXCHANGE_CLIENT_SECRET: z.string().min(1).optional(),
  MCP_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000).describe('minimum milliseconds between JWKS fetches triggered by an unknown kid or a failure'),
  MCP_JWKS_MAX_AGE_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000).describe('milliseconds after which cached JWKS keys are refreshed (kept if the refresh fails)'),
  MCP_INTROSPECTION_CACHE_TTL_MS: z.coerce.number().int().min(1).max(3_600_000).default(60_000).describe('upper bound in milliseconds for caching an active introspection result (bounds how late a revocation is noticed)'),
  MCP_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  MCP_MAX_TOKEN_BYTES: z.coerce.number().int().min(256).max(65536).default(8192),
  MCP_ALLOW_INSECURE_HTTP: bool.default(false).describe('"true" to allow http:// issuers on non-loopback hosts (development only)'),
  MCP_RESOURCE_NAME: z.string().min(1).max(200).default('MCP Resource Server'),
  MCP_RESOURCE_DOCUMENTATION: z.url().optional(),
  MCP_DEV_AUTH: bool.default(true).describe('"false" to serve unauthenticated (loopback only) instead of starting the development authorization server when no issuer is configured'),
  MCP_DEV_AUTH_PORT: z.coerce.number().int().min(0).max(65535).default(9400).describe('port of the development authorization server (loopback only)'),
  MCP_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
  MCP_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600).describe('requests per window per subject (per IP before authentication)'),
  MCP_RATE_LIMIT_FAILED_AUTH_MAX: z.coerce.number().int().min(1).default(30).describe('failed authentications per window per client address before its failing requests are slowed down'),
  MCP_AUTH_FAILURE_DELAY_MS: z.coerce.number().int().min(1).max(60_000).default(1000).describe('once an address is over MCP_RATE_LIMIT_FAILED_AUTH_MAX: milliseconds between two failed-authentication answers to it'),
  // --- DPoP (RFC 9449, docs/auth.md#dpop) ---
  MCP_DPOP: z.enum(['off', 'allowed', 'required']).default('off').describe('"off" (Bearer only), "allowed" (Bearer or DPoP; DPoP-bound tokens only with a proof) or "required" (DPoP only)'),
  MCP_DPOP_ALGS: list.optional().describe('JWS algorithms accepted for DPoP proofs, e.g. ES256,PS256 (default ES256,ES384,PS256,RS256,EdDSA)'),
  MCP_DPOP_NONCE: bool.default(false).describe('"true" to demand a server nonce in every DPoP proof (RFC 9449 §9)'),
  MCP_DPOP_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(600).default(60).describe('seconds a DPoP proof stays acceptable after its iat (and its jti stays remembered)'),
  MCP_AUTH_SCP_ISSUERS: list.optional().describe('issuers whose tokens carry scopes in an `scp` claim (array or string) instead of the RFC 9068 `scope` string, e.g. Okta or Entra ID'),
  // --- Quotas on client-created state (docs/security.md) ---
  MCP_MAX_SESSIONS: posInt(1_000_000, 10_000, 'sessions held by the whole server (MCP_SESSIONS=sessions)'),
  MCP_MAX_SESSIONS_PER_PRINCIPAL: posInt(10_000, 16, 'sessions per principal; a new one ends that principal\'s least recently used session'),
  MCP_MAX_STREAMS: posInt(1_000_000, 10_000, 'long-lived streams (GET and subscriptions/listen) held by the whole server'),
  MCP_MAX_STREAMS_PER_PRINCIPAL: posInt(10_000, 32, 'long-lived streams per principal'),
  MCP_MAX_STREAMS_PER_SESSION: posInt(1000, 4, 'GET streams per session'),
  MCP_STREAM_MAX_LIFETIME_MS: posInt(86_400_000, 1_800_000, 'milliseconds after which the server ends a long-lived stream (the client reconnects)'),
  MCP_MAX_SUBSCRIPTIONS_PER_SESSION: posInt(100_000, 100, 'resources/subscribe URIs per session, and resourceSubscriptions per subscriptions/listen stream'),
  MCP_MAX_PENDING_REQUESTS: posInt(1_000_000, 1000, 'server-to-client requests awaiting an answer, whole server'),
  MCP_MAX_PENDING_REQUESTS_PER_PRINCIPAL: posInt(10_000, 16, 'server-to-client requests awaiting an answer, per principal'),
  // --- Tasks (io.modelcontextprotocol/tasks) ---
  MCP_TASK_TTL_MS: posInt(604_800_000, 3_600_000, 'milliseconds a task and its result are kept after it was created; a task still running then is stopped'),
  MCP_MAX_TASKS_PER_PRINCIPAL: posInt(10_000, 16, 'tasks running at once per principal'),
  MCP_TASK_POLL_INTERVAL_MS: posInt(3_600_000, 1000, 'milliseconds between tasks/get polls suggested to clients (pollIntervalMs)'),
  // --- HTTP server (slow clients, connections) ---
  MCP_HEADERS_TIMEOUT_MS: posInt(600_000, 20_000, 'milliseconds a client has to send the complete request headers'),
  MCP_REQUEST_TIMEOUT_MS: posInt(3_600_000, 60_000, 'milliseconds a client has to send the complete request, body included'),
  MCP_KEEP_ALIVE_TIMEOUT_MS: posInt(600_000, 5_000, 'milliseconds an idle keep-alive connection stays open (above the idle timeout of a proxy in front)'),
  MCP_MAX_CONNECTIONS: posInt(1_000_000, 1024, 'open TCP connections; further ones are closed at once'),
  // --- Several replicas (docs/deploy.md#redis) ---
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional().describe('the Redis every replica shares counters, tasks and notifications through, e.g. rediss://:PASSWORD@redis:6380/0; unset = in memory, one replica'),
  // --- Metrics and tracing (docs/operations.md) ---
  MCP_METRICS: z.enum(['off', 'path', 'port']).default('off').describe('"off", "port" (a listener of its own, MCP_METRICS_HOST:MCP_METRICS_PORT) or "path" (MCP_METRICS_PATH on the main listener)'),
  MCP_METRICS_HOST: z.string().regex(/^[A-Za-z0-9.:-]+$/, 'must be an IP address or host name').default('127.0.0.1').describe('interface of the metrics listener; 0.0.0.0 only where the port is not published'),
  MCP_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464).describe('TCP port of the metrics listener'),
  MCP_METRICS_PATH: z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'must be a path such as /metrics').default('/metrics'),
  MCP_TRACING: z.enum(['on', 'off']).optional().describe('"on" to export traces over OTLP/HTTP (default: on when OTEL_EXPORTER_OTLP_ENDPOINT is set)'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional().describe('OTLP/HTTP collector base URL, e.g. http://otel-collector:4318'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional().describe('full OTLP/HTTP traces URL, overriding OTEL_EXPORTER_OTLP_ENDPOINT'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug', 'silent']).default('info'),
});

/** Settings that depend on each other, checked after the field-level schema. */
function crossCheck(c: z.output<typeof schema>, ctx: z.RefinementCtx): void {
  const needsIntrospection = c.MCP_TOKEN_MODE !== 'jwt';
  if (needsIntrospection && c.MCP_AUTH_ISSUERS && (!c.MCP_INTROSPECTION_CLIENT_ID || !c.MCP_INTROSPECTION_CLIENT_SECRET)) {
    ctx.addIssue({ code: 'custom', path: ['MCP_INTROSPECTION_CLIENT_ID'], message: `MCP_TOKEN_MODE=${c.MCP_TOKEN_MODE} needs MCP_INTROSPECTION_CLIENT_ID and MCP_INTROSPECTION_CLIENT_SECRET` });
  }
  if (c.REDIS_URL && !c.MCP_STATE_SECRET) {
    // Any replica must open what another sealed: MRTR requestState and pagination cursors.
    ctx.addIssue({ code: 'custom', path: ['MCP_STATE_SECRET'], message: 'REDIS_URL is set (several replicas share state), so every replica must seal MRTR requestState and pagination cursors with the same key: set MCP_STATE_SECRET to the same 32+ random characters on every replica' });
  }
  if (c.MCP_METRICS === 'path' && c.MCP_METRICS_PATH === c.MCP_PATH) {
    ctx.addIssue({ code: 'custom', path: ['MCP_METRICS_PATH'], message: 'must differ from MCP_PATH (metrics are never served behind the MCP authentication)' });
  }
  if (c.MCP_METRICS === 'port' && c.MCP_METRICS_PORT === c.PORT && c.PORT !== 0) {
    ctx.addIssue({ code: 'custom', path: ['MCP_METRICS_PORT'], message: 'must differ from PORT (use MCP_METRICS=path to serve metrics on the main listener)' });
  }
  if (c.NODE_ENV === 'production' && !c.MCP_AUTH_ISSUERS) {
    ctx.addIssue({ code: 'custom', path: ['MCP_AUTH_ISSUERS'], message: 'production mode needs at least one trusted issuer (the development authorization server never runs in production)' });
  }
}

const checked = schema.superRefine(crossCheck);

/** The validated configuration. */
export type Config = Readonly<z.output<typeof schema>>;

/** Thrown when the environment is invalid; the message lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parse and freeze the configuration from an environment (default: process.env). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty assignment (`MCP_STATE_SECRET=` in a copied .env) means "not set", not "".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = checked.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0]);
      const hint = (schema.shape as Record<string, z.ZodType>)[key]?.description;
      // Secrets (and Redis URLs, which carry passwords) never reach the message (it is logged).
      const shown = /SECRET|REDIS_URL/.test(key) && env[key] ? '[redacted]' : JSON.stringify(env[key] ?? '');
      return `  ${key}=${shown}: ${i.message}${hint ? ` (expected ${hint})` : ''}`;
    });
    throw new ConfigError(`Invalid configuration; fix these environment variables (see .env.example):\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}
