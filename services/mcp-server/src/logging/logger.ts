/**
 * Structured JSON-line logging on winston. Everything goes to stderr, so STDIO's stdout stays
 * a clean JSON-RPC channel. Values are truncated and known secret fields redacted here, once,
 * so no call site can leak a token by accident. The two per-request lines (access and audit)
 * bypass winston (fast-lines.ts); all lines share one batched sink (line-sink.ts).
 */
import { Writable } from 'node:stream';
import winston from 'winston';
import { attachFastLines, createFastLines } from './fast-lines.js';
import { MAX_VALUE } from './json-line.js';
import { createLineSink, flushOnExit, type LineSink } from './line-sink.js';

/** The logger interface handlers and modules depend on (not winston itself). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

/** Log levels, most severe first. */
export type LogThreshold = 'error' | 'warn' | 'info' | 'debug' | 'silent';

const SECRET_KEYS = /^(authorization|access_token|refresh_token|id_token|token|client_secret|password|cookie|subject_token)$/i;

/** Redact secret-named fields and truncate long strings, recursively (depth-limited). */
export function sanitize(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…(${value.length} chars)` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[object]';
  if (value instanceof Error) return { name: value.name, message: sanitize(value.message, depth + 1) };
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => sanitize(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : sanitize(v, depth + 1);
  return out;
}

const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message' || key === 'timestamp') continue;
    info[key] = SECRET_KEYS.test(key) ? '[redacted]' : sanitize(info[key]);
  }
  return info;
});

// Severity order as winston's npm levels; a logger's threshold is fixed when it is created.
const SEVERITY = { error: 0, warn: 1, info: 2, debug: 3 } as const;
type Level = keyof typeof SEVERITY;

// winston runs its whole format pipeline before its transport drops a line below the level,
// and builds child loggers eagerly: both are checked or deferred here instead.
class WinstonLogger implements Logger {
  private made?: winston.Logger;
  constructor(private readonly threshold: number, private readonly make: () => winston.Logger) {}
  private get w(): winston.Logger { return (this.made ??= this.make()); }
  private log(level: Level, message: string, fields?: Record<string, unknown>): void {
    if (SEVERITY[level] <= this.threshold) this.w[level](message, fields);
  }
  debug(message: string, fields?: Record<string, unknown>): void { this.log('debug', message, fields); }
  info(message: string, fields?: Record<string, unknown>): void { this.log('info', message, fields); }
  warn(message: string, fields?: Record<string, unknown>): void { this.log('warn', message, fields); }
  error(message: string, fields?: Record<string, unknown>): void { this.log('error', message, fields); }
  child(fields: Record<string, unknown>): Logger { return new WinstonLogger(this.threshold, () => this.w.child(fields)); }
}

let stderrSink: LineSink | undefined;

/** The process-wide stderr sink, flushed synchronously when the process ends. */
function sharedStderrSink(): LineSink {
  if (!stderrSink) {
    // Where winston's Console transport wrote: console's stderr (so redirecting the console,
    // as tests do, still captures the logs), which is process.stderr unless someone changed it.
    stderrSink = createLineSink({
      stream: () => (console as { _stderr?: NodeJS.WritableStream })._stderr ?? process.stderr,
      linePerWriteWithoutFd: true,
    });
    flushOnExit(stderrSink);
  }
  return stderrSink;
}

/** Create the process logger: JSON lines on stderr (or `stream`) at the given threshold. */
export function createLogger(opts: { level?: LogThreshold; service?: string; stream?: NodeJS.WritableStream; now?: () => number } = {}): Logger {
  const level = opts.level ?? 'info';
  const service = opts.service ?? 'mcp-server';
  const sink = opts.stream ? createLineSink({ stream: opts.stream }) : sharedStderrSink();
  // winston writes its formatted lines into the same sink, so every line keeps its order.
  const into = new Writable({ decodeStrings: false, write(chunk: string | Buffer, _enc, cb) { sink.write(String(chunk)); cb(); } });
  const w = winston.createLogger({
    level: level === 'silent' ? 'error' : level,
    silent: level === 'silent',
    defaultMeta: { service },
    format: winston.format.combine(redact(), winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream: into, eol: '\n' })],
  });
  const logger = new WinstonLogger(level === 'silent' ? -1 : SEVERITY[level], () => w);
  attachFastLines(logger, createFastLines({ enabled: level === 'info' || level === 'debug', service, sink, now: opts.now }));
  return logger;
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {},
  child() { return silentLogger; },
};
