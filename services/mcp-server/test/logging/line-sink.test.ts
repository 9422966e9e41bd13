import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createLineSink } from '../../src/logging/line-sink.js';

function recorder() {
  const writes: string[] = [];
  const stream = new Writable({ decodeStrings: false, write(chunk: string, _e, cb) { writes.push(String(chunk)); cb(); } });
  return { writes, stream };
}
const turn = () => new Promise((r) => setImmediate(r));

describe('line sink', () => {
  it('writes all lines of one event-loop turn with one write', async () => {
    const { writes, stream } = recorder();
    const sink = createLineSink({ stream });
    for (let i = 0; i < 100; i++) sink.write(`${i}\n`);
    expect(writes).toEqual([]);
    await turn();
    expect(writes).toHaveLength(1);
    expect(writes[0].split('\n').slice(0, -1)).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    sink.write('next\n');
    await turn();
    expect(writes).toEqual([expect.any(String), 'next\n']);
  });

  it('writes at once past maxPending, so a burst cannot grow the buffer without bound', () => {
    const { writes, stream } = recorder();
    const sink = createLineSink({ stream, maxPending: 10, schedule: () => {} });
    sink.write('12345\n');
    expect(writes).toEqual([]);
    sink.write('67890\n');
    expect(writes).toEqual(['12345\n67890\n']);
  });

  it('can name its stream at each write and give a stream without a descriptor one write per line', async () => {
    const first = recorder();
    const second = recorder();
    let current = first.stream;
    const sink = createLineSink({ stream: () => current, linePerWriteWithoutFd: true });
    sink.write('a\n');
    sink.write('b\n');
    await turn();
    current = second.stream;
    sink.write('c\n');
    sink.flushSync();
    expect(first.writes).toEqual(['a\n', 'b\n']);
    expect(second.writes).toEqual(['c\n']);
  });

  it('flushSync writes what is pending through the file descriptor, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-'));
    const fd = openSync(join(dir, 'out'), 'w');
    const { writes, stream } = recorder();
    const sink = createLineSink({ stream, fd, schedule: () => {} });
    sink.write('a\n');
    sink.write('b\n');
    sink.flushSync();
    sink.flushSync(); // nothing pending: no second write
    closeSync(fd);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('a\nb\n');
    expect(writes).toEqual([]);
  });
});

describe('no line is lost when the process ends', () => {
  const child = fileURLToPath(new URL('./fixtures/exit-child.ts', import.meta.url));
  const run = (mode: string) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', child, mode], { encoding: 'utf8', timeout: 20_000 });
    const lines = r.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    return { ...r, lines };
  };
  const ids = (lines: Record<string, unknown>[], message: string) => lines.filter((l) => l.message === message).map((l) => l.requestId);
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => `r${from + i}`);

  it('on process.exit', () => {
    const r = run('exit');
    expect(r.status).toBe(3);
    expect(ids(r.lines, 'request')).toEqual(range(0, 500));
    expect(ids(r.lines, 'audit')).toEqual(range(0, 500));
    expect(r.lines.at(-1)).toMatchObject({ level: 'warn', message: 'last words' });
  });

  it('on SIGTERM nobody handles: flushed, then the signal still ends the process', () => {
    const r = run('sigterm-default');
    expect(r.signal).toBe('SIGTERM');
    expect(ids(r.lines, 'request')).toEqual(range(0, 500));
    expect(ids(r.lines, 'audit')).toEqual(range(0, 500));
  });

  it('on SIGTERM with a handler that exits later (as main.ts does)', () => {
    const r = run('sigterm-handled');
    expect(r.status).toBe(0);
    expect(ids(r.lines, 'request')).toEqual([...range(0, 500), ...range(20_000, 10)]);
  });
});
