/**
 * The only place that reads `process.env`. One zod schema; the result is frozen; a bad value
 * fails start-up with a message naming the variable and how to fix it.
 */
import { z } from 'zod';

const list = z.string().transform((s) => s.split(/[\s,]+/).filter(Boolean));
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1').describe('interface to bind, e.g. 127.0.0.1 or 0.0.0.0'),
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
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug', 'silent']).default('info'),
});

/** The validated configuration. */
export type Config = Readonly<z.output<typeof schema>>;

/** Thrown when the environment is invalid; the message lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parse and freeze the configuration from an environment (default: process.env). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0]);
      const hint = (schema.shape as Record<string, z.ZodType>)[key]?.description;
      return `  ${key}=${JSON.stringify(env[key] ?? '')}: ${i.message}${hint ? ` (expected ${hint})` : ''}`;
    });
    throw new ConfigError(`Invalid configuration; fix these environment variables (see .env.example):\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}
