/**
 * The two lines written per request, off winston's path: the access line (`request`) and the
 * `audit` line. A logger made by createLogger carries a writer for them; any other Logger
 * (tests, embedders) gets the same fields through its `info`.
 */
import { createTimestamps, jsonNumber, jsonString, optionalMember } from './json-line.js';
import type { LineSink } from './line-sink.js';
import type { Logger } from './logger.js';

/** The audit fields (the engine's AuditEvent, structurally). */
export interface AuditFields {
  readonly method: string;
  readonly name: string;
  readonly subject: string;
  readonly outcome: string;
  readonly durationMs: number;
  readonly requestId?: string;
}

/** Writes the per-request lines of one logger. */
export interface FastLines {
  /** False below info (LOG_LEVEL warn, error, silent): callers skip the work entirely. */
  readonly enabled: boolean;
  /** The access line of a finished HTTP request. */
  request(requestId: string, method: string | undefined, path: string, status: number, durationMs: number): void;
  /** The audit line of a tools/call, prompts/get or resources/read. */
  audit(event: AuditFields, clientId: string | undefined): void;
}

const attached = new WeakMap<Logger, FastLines>();

/** Creates the writer: lines as winston would format them, with `service` and a timestamp. */
export function createFastLines(opts: { enabled: boolean; service: string; sink: LineSink; now?: () => number }): FastLines {
  const { sink } = opts;
  const timestamp = createTimestamps(opts.now);
  // Keys in the sorted order winston's json format used; the constant parts are built once.
  const service = `,"service":${jsonString(opts.service)}`;
  return {
    enabled: opts.enabled,
    request(requestId, method, path, status, durationMs) {
      if (!opts.enabled) return;
      sink.write(`{"durationMs":${jsonNumber(durationMs)},"level":"info","message":"request"${optionalMember('method', method)}`
        + `,"path":${jsonString(path)},"requestId":${jsonString(requestId)}${service},"status":${jsonNumber(status)}`
        + `,"timestamp":"${timestamp()}"}\n`);
    },
    audit(e, clientId) {
      if (!opts.enabled) return;
      sink.write(`{${clientId === undefined ? '' : `"clientId":${jsonString(clientId)},`}"durationMs":${jsonNumber(e.durationMs)}`
        + `,"level":"info","message":"audit","method":${jsonString(e.method)},"name":${jsonString(e.name)}`
        + `,"outcome":${jsonString(e.outcome)}${optionalMember('requestId', e.requestId)}${service}`
        + `,"subject":${jsonString(e.subject)},"timestamp":"${timestamp()}"}\n`);
    },
  };
}

/** Gives `logger` its fast writer (createLogger does this). */
export function attachFastLines(logger: Logger, lines: FastLines): void {
  attached.set(logger, lines);
}

/** The fast writer of a logger made by createLogger, else undefined. */
export function fastLinesOf(logger: Logger): FastLines | undefined {
  return attached.get(logger);
}

/** Logs an audit event: the fast writer when the logger has one, else `info('audit', ...)`. */
export function logAudit(logger: Logger, event: AuditFields & { readonly clientId?: string }, clientId: string | undefined): void {
  const fast = attached.get(logger);
  if (fast) fast.audit(event, clientId);
  else logger.info('audit', { ...event, clientId });
}
