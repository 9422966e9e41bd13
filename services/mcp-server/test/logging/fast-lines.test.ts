import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { attachFastLines, createFastLines, fastLinesOf, logAudit } from '../../src/logging/fast-lines.js';
import { jsonString, MAX_VALUE } from '../../src/logging/json-line.js';
import { createLineSink } from '../../src/logging/line-sink.js';
import { createLogger, sanitize, silentLogger, type LogThreshold, type Logger } from '../../src/logging/logger.js';
import type { AuditEvent } from '../../src/mcp/services.js';

// Every AuditEvent field must be one the fast audit line writes (clientId comes from the principal):
// a field added to AuditEvent fails to compile here until the line writes it too.
const AUDIT_KEYS: Record<keyof AuditEvent, true> = { method: true, name: true, subject: true, clientId: true, outcome: true, durationMs: true, requestId: true };

const NOW = Date.parse('2026-12-02T21:00:00.123Z');
function capture(level: LogThreshold = 'info') {
  let text = '';
  const stream = new Writable({ decodeStrings: false, write(chunk: string, _e, cb) { text += String(chunk); cb(); } });
  const logger = createLogger({ level, stream, service: 'svc', now: () => NOW });
  return { logger, fast: fastLinesOf(logger)!, text: () => text, lines: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}
const turn = () => new Promise((r) => setImmediate(r));

const HOSTILE = ['quote " and \\ backslash', 'new\nline\r\ttab\u0000nul\u001f', 'sep\u2028par\u2029', 'lone \ud800 high', 'lone \udfff low', 'pair 😀 ok', '</script>', 'x'.repeat(5000)];

describe('jsonString', () => {
  it.each(HOSTILE)('keeps the JSON valid and one line for %j', (s) => {
    const lit = jsonString(s);
    expect(lit).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(Buffer.from(lit, 'utf8').toString('utf8')).toBe(lit); // no lone surrogate survives raw: UTF-8 round trip is exact
    expect(JSON.parse(lit)).toBe(sanitize(s));
  });

  it('truncates like sanitize', () => {
    expect(JSON.parse(jsonString('y'.repeat(MAX_VALUE + 1)))).toBe(`${'y'.repeat(MAX_VALUE)}…(${MAX_VALUE + 1} chars)`);
    expect(JSON.parse(jsonString('y'.repeat(MAX_VALUE)))).toBe('y'.repeat(MAX_VALUE));
  });
});

describe('fast lines', () => {
  it('write what the winston pipeline writes for the same fields', async () => {
    const c = capture();
    c.fast.request('req-1', 'POST', '/mcp', 200, 1.25);
    const event = { method: 'tools/call', name: 'get_weather', subject: 'alice', clientId: 'ignored', outcome: 'ok', durationMs: 3.5, requestId: 'req-1' } as const;
    logAudit(c.logger, event, 'app');
    c.logger.info('request', { requestId: 'req-1', method: 'POST', path: '/mcp', status: 200, durationMs: 1.25 });
    c.logger.info('audit', { ...event, clientId: 'app' });
    await turn();
    const [fastReq, fastAudit, slowReq, slowAudit] = c.text().split('\n');
    expect(fastReq).toBe(slowReq.replace(/"timestamp":"[^"]*"/, '"timestamp":"2026-12-02T21:00:00.123Z"'));
    expect(fastAudit).toBe(slowAudit.replace(/"timestamp":"[^"]*"/, '"timestamp":"2026-12-02T21:00:00.123Z"'));
    expect(JSON.parse(fastAudit)).toEqual({ level: 'info', message: 'audit', service: 'svc', timestamp: '2026-12-02T21:00:00.123Z', ...event, clientId: 'app' });
    expect(Object.keys(JSON.parse(fastAudit))).toEqual(expect.arrayContaining(Object.keys(AUDIT_KEYS)));
  });

  it('stay valid, capped JSON lines with hostile client strings', async () => {
    const c = capture();
    for (const s of HOSTILE) {
      c.fast.request(s, s, s, 404, NaN);
      logAudit(c.logger, { method: s, name: s, subject: s, outcome: s, durationMs: Infinity, requestId: s }, s);
    }
    await turn();
    const raw = c.text().split('\n').filter(Boolean);
    expect(raw).toHaveLength(HOSTILE.length * 2);
    raw.forEach((line, i) => {
      const s = sanitize(HOSTILE[Math.floor(i / 2)]);
      const o = JSON.parse(line) as Record<string, unknown>;
      if (o.message === 'request') expect(o).toMatchObject({ requestId: s, method: s, path: s, status: 404, durationMs: null });
      else expect(o).toMatchObject({ method: s, name: s, subject: s, outcome: s, requestId: s, clientId: s, durationMs: null });
      expect(line.length).toBeLessThan(8 * (MAX_VALUE + 40));
    });
  });

  it('leave out undefined members, as JSON.stringify does', async () => {
    const c = capture();
    c.fast.request('r', undefined, '/', 200, 1);
    logAudit(c.logger, { method: 'm', name: 'n', subject: 's', outcome: 'ok', durationMs: 1 }, undefined);
    await turn();
    const [req, audit] = c.lines();
    expect(req).not.toHaveProperty('method');
    expect(audit).not.toHaveProperty('clientId');
    expect(audit).not.toHaveProperty('requestId');
  });

  it.each<LogThreshold>(['warn', 'error', 'silent'])('write nothing at %s', async (level) => {
    const c = capture(level);
    expect(c.fast.enabled).toBe(false);
    c.fast.request('r', 'GET', '/', 200, 1);
    logAudit(c.logger, { method: 'm', name: 'n', subject: 's', outcome: 'ok', durationMs: 1 }, 'c');
    await turn();
    expect(c.text()).toBe('');
    expect(capture('debug').fast.enabled).toBe(true);
  });

  it('share the sink with winston, so lines keep their order', async () => {
    const c = capture();
    c.logger.info('first');
    c.fast.request('r', 'GET', '/', 200, 1);
    c.logger.warn('third');
    await turn();
    expect(c.lines().map((l) => l.message)).toEqual(['first', 'request', 'third']);
  });

  it('other loggers get the audit line through info()', () => {
    const seen: unknown[] = [];
    const custom: Logger = { ...silentLogger, info: (message, fields) => { seen.push({ message, ...fields }); } };
    expect(fastLinesOf(custom)).toBeUndefined();
    const event: AuditEvent = { method: 'm', name: 'n', subject: 's', outcome: 'ok', durationMs: 1, clientId: 'old' }; // the engine's type fits
    logAudit(custom, event, 'new');
    expect(seen).toEqual([{ message: 'audit', method: 'm', name: 'n', subject: 's', outcome: 'ok', durationMs: 1, clientId: 'new' }]);
  });

  it('can be attached to any logger', async () => {
    let text = '';
    const sink = createLineSink({ stream: new Writable({ write(chunk: Buffer, _e, cb) { text += chunk.toString(); cb(); } }) });
    const custom: Logger = { ...silentLogger };
    attachFastLines(custom, createFastLines({ enabled: true, service: 'x', sink, now: () => 0 }));
    logAudit(custom, { method: 'm', name: 'n', subject: 's', outcome: 'ok', durationMs: 1 }, undefined);
    await turn();
    expect(JSON.parse(text)).toMatchObject({ service: 'x', timestamp: '1970-01-01T00:00:00.000Z', message: 'audit' });
  });
});
