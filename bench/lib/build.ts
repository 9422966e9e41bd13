/**
 * Compile the server children (bench/servers, bench/lib, services/mcp-server/src) to plain
 * JavaScript under .cache/bench-build (ignored by git and eslint), file by file with the same tree, so the servers run as
 * production does (`node` on compiled JS) instead of under tsx, whose loader thread adds tens
 * of MB of RSS and hundreds of ms of start-up. esbuild comes with tsx.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Build; returns the directory whose `bench/servers/<name>.js` are the entry points. */
export async function buildServers(root: string): Promise<string> {
  const { build } = await import('esbuild');
  const outdir = join(root, '.cache/bench-build');
  rmSync(outdir, { recursive: true, force: true });
  const entryPoints = [...tsFiles(join(root, 'bench/servers')), join(root, 'bench/lib/common.ts'), ...tsFiles(join(root, 'services/mcp-server/src'))];
  await build({ entryPoints, outdir, outbase: root, format: 'esm', platform: 'node', target: 'node20', bundle: false, logLevel: 'error' });
  return relative(root, outdir);
}
