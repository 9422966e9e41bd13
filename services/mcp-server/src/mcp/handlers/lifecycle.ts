/**
 * server/discover (2026-07-28), and the 2025 handshake: initialize, ping, logging/setLevel.
 */
import { keepCapabilities, keepClientInfo } from '../bounds.js';
import type { Call } from '../call.js';
import { invalidParams } from '../errors.js';
import { TASKS_EXTENSION } from '../tasks/task-records.js';
import { isLogLevel, LEGACY_VERSIONS, SUPPORTED_VERSIONS, type JsonObject } from '../protocol.js';

/** What this server can do; identical in both eras. */
export const CAPABILITIES: Readonly<JsonObject> = Object.freeze({
  tools: { listChanged: true },
  prompts: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  completions: {},
  logging: {},
});

/** 2026-07-28 adds the tasks extension (tasks §Capability Negotiation: advertised in server/discover). */
const MODERN_CAPABILITIES: Readonly<JsonObject> = Object.freeze({ ...CAPABILITIES, extensions: { [TASKS_EXTENSION]: {} } });

/** server/discover: versions, capabilities, identity (server/discover §Response). */
export function discover(call: Call): JsonObject {
  const { options } = call.services;
  const result: JsonObject = { supportedVersions: SUPPORTED_VERSIONS, capabilities: MODERN_CAPABILITIES };
  if (options.instructions) result.instructions = options.instructions;
  result.ttlMs = options.discoverTtlMs;
  result.cacheScope = 'public';
  return result;
}

/**
 * initialize (2025 lifecycle §Version Negotiation): answer with the requested version when we
 * speak it, otherwise the newest legacy version we support; the client decides whether to go on.
 */
export function initialize(call: Call): JsonObject {
  const { params, ex, services } = call;
  const requested = params.protocolVersion;
  if (typeof requested !== 'string') throw invalidParams('initialize needs params.protocolVersion (for example "2025-11-25")');
  const version = (LEGACY_VERSIONS as readonly string[]).includes(requested) ? requested : LEGACY_VERSIONS[0];
  const session = ex.session;
  if (session) {
    session.protocolVersion = version;
    // The session outlives this request: keep only what the server reads, each part capped,
    // never the client's objects as sent (they can be megabytes).
    session.capabilities = keepCapabilities(params.capabilities);
    const info = keepClientInfo(params.clientInfo);
    if (info) session.clientInfo = info;
  }
  const result: JsonObject = { protocolVersion: version, capabilities: CAPABILITIES, serverInfo: services.options.serverInfo };
  if (services.options.instructions) result.instructions = services.options.instructions;
  return result;
}

/** ping (2025 revisions). */
export function ping(): JsonObject {
  return {};
}

/** logging/setLevel (2025 revisions): stored on the session; stateless serving accepts and ignores it. */
export function setLevel(call: Call): JsonObject {
  const level = call.params.level;
  if (!isLogLevel(level)) throw invalidParams('params.level must be one of debug, info, notice, warning, error, critical, alert, emergency');
  if (call.ex.session) call.ex.session.logLevel = level;
  return {};
}
