import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callTool, examples, text, type Examples } from './support/examples.js';

let ex: Examples;
beforeAll(async () => { ex = await examples(); });
afterAll(async () => { await ex.close(); });

describe('get_time', () => {
  it('defaults to UTC and returns the current instant', async () => {
    const before = Date.now();
    const r = await callTool(ex, 'get_time');
    const after = Date.now();
    expect(r.isError).toBeUndefined();
    const s = r.structuredContent as { iso: string; timezone: string; local: string };
    expect(s.timezone).toBe('UTC');
    expect(s.iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const t = Date.parse(s.iso);
    expect(t).toBeGreaterThanOrEqual(before - 1);
    expect(t).toBeLessThanOrEqual(after + 1);
    expect(s.local).toMatch(/UTC/);
    expect(JSON.parse(text(r))).toEqual(s);
  });

  it.each(['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'])('formats the time in %s', async (timezone) => {
    const r = await callTool(ex, 'get_time', { timezone });
    expect(r.isError).toBeUndefined();
    const s = r.structuredContent as { iso: string; timezone: string; local: string };
    expect(s.timezone).toBe(timezone);
    // The local rendering is the same instant as iso, in that zone.
    const expected = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'full', timeStyle: 'long' }).format(new Date(s.iso));
    expect(s.local).toBe(expected);
  });

  it('answers an unknown zone with an isError result that says what to send instead', async () => {
    const r = await callTool(ex, 'get_time', { timezone: 'Mars/Olympus_Mons' });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('Unknown time zone "Mars/Olympus_Mons": use an IANA name such as "UTC" or "America/New_York"');
    expect(r.structuredContent).toBeUndefined();
  });

  it.each([
    ['a zone name over 64 characters', { timezone: 'Europe/'.padEnd(65, 'x') }],
    ['a non-string zone', { timezone: 1 }],
  ])('rejects %s as invalid arguments', async (_what, args) => {
    const r = await callTool(ex, 'get_time', args);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^Invalid arguments for tool get_time: timezone: /);
  });
});
