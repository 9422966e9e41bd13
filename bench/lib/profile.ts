/**
 * Summarise a V8 .cpuprofile: self time per function and per area (our http / mcp / auth
 * code, express, jose, zod, node internals, GC, idle).
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** One line of the summary. */
export interface Hot { name: string; where: string; ms: number; pct: number }

/** Where a frame's code lives, coarsely. */
export function areaOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'V8/native (program)';
  const m = /services\/mcp-server\/src\/([^/]+)\//.exec(url);
  if (m) return `ours: src/${m[1]}`;
  if (url.includes('/bench/')) return 'bench server';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:') || url === '') return 'node internals';
  return url;
}

/** Top self-time functions and the split by area (idle excluded from percentages). */
export function summarise(file: string, top = 20): { total: number; busy: number; functions: Hot[]; areas: Hot[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const fns = new Map<string, Hot>();
  const areas = new Map<string, Hot>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const ms = us / 1000;
    total += ms;
    if (functionName === '(idle)') { idle += ms; continue; }
    const name = functionName || '(anonymous)';
    const where = url ? `${url.replace(/^.*\/(node_modules|services\/mcp-server|bench)\//, '$1/').replace(/^file:\/\//, '')}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const f = fns.get(key) ?? { name, where, ms: 0, pct: 0 };
    f.ms += ms;
    fns.set(key, f);
    const area = areaOf(url, functionName);
    const a = areas.get(area) ?? { name: area, where: '', ms: 0, pct: 0 };
    a.ms += ms;
    areas.set(area, a);
  }
  const busy = total - idle;
  const pct = (h: Hot) => ({ ...h, pct: (100 * h.ms) / busy });
  return {
    total, busy,
    functions: [...fns.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map(pct),
    areas: [...areas.values()].sort((a, b) => b.ms - a.ms).map(pct),
  };
}
