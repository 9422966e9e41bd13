import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger, sanitize, silentLogger, type LogThreshold } from '../../src/logging/logger.js';

function capture(level?: LogThreshold) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, logger: createLogger({ level, stream, service: 'test' }) };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('sanitize', () => {
  it('redacts secret-named fields at any depth, case-insensitively', () => {
    expect(sanitize({ Authorization: 'Bearer x', nested: { access_token: 't', password: 'p', ok: 1 }, list: [{ client_secret: 's' }] }))
      .toEqual({ Authorization: '[redacted]', nested: { access_token: '[redacted]', password: '[redacted]', ok: 1 }, list: [{ client_secret: '[redacted]' }] });
  });

  it('truncates long strings and long arrays, and limits depth', () => {
    expect(sanitize('x'.repeat(600))).toBe(`${'x'.repeat(512)}…(600 chars)`);
    expect(sanitize(Array.from({ length: 30 }, (_, i) => i))).toHaveLength(20);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10; i++) deep = { d: deep };
    expect(JSON.stringify(sanitize(deep))).toContain('[object]');
    expect(JSON.stringify(sanitize(deep))).not.toContain('bottom');
  });

  it('reduces errors to name and message (no stack)', () => {
    const e = new TypeError('bad thing');
    expect(sanitize(e)).toEqual({ name: 'TypeError', message: 'bad thing' });
    expect(sanitize(null)).toBeNull();
    expect(sanitize(5)).toBe(5);
  });
});

describe('createLogger', () => {
  it('writes JSON lines with service, timestamp and redacted fields', async () => {
    const { lines, logger } = capture('debug');
    logger.info('hello', { token: 'abc', user: 'ann', error: new Error('boom') });
    await flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', message: 'hello', service: 'test', token: '[redacted]', user: 'ann', error: { name: 'Error', message: 'boom' } });
    expect(typeof lines[0].timestamp).toBe('string');
    expect(JSON.stringify(lines[0])).not.toContain('abc');
  });

  it('honours the threshold and silent', async () => {
    const warn = capture('warn');
    warn.logger.debug('d'); warn.logger.info('i'); warn.logger.warn('w'); warn.logger.error('e');
    await flush();
    expect(warn.lines.map((l) => l.level)).toEqual(['warn', 'error']);
    const silent = capture('silent');
    silent.logger.error('nothing');
    await flush();
    expect(silent.lines).toEqual([]);
  });

  it('does no formatting work for a line below the threshold, parent or child', async () => {
    const { lines, logger } = capture('warn');
    let reads = 0;
    const fields = { get costly() { reads++; return 'x'; } };
    logger.info('dropped', fields);
    logger.child({ rpcId: 1 }).debug('dropped', fields);
    logger.child({ rpcId: 2 }).warn('kept', fields);
    await flush();
    expect(lines.map((l) => l.message)).toEqual(['kept']);
    expect(lines[0]).toMatchObject({ rpcId: 2, costly: 'x' });
    expect(reads).toBeGreaterThan(0);
    const before = reads;
    logger.info('dropped', fields);
    expect(reads).toBe(before);
  });

  it('child loggers add fields to every line', async () => {
    const { lines, logger } = capture('info');
    logger.child({ rpcId: 7 }).child({ method: 'tools/call' }).info('x');
    await flush();
    expect(lines[0]).toMatchObject({ rpcId: 7, method: 'tools/call', message: 'x' });
  });

  it('the silent logger accepts everything', () => {
    expect(() => { silentLogger.error('x'); silentLogger.child({}).info('y'); }).not.toThrow();
  });
});
