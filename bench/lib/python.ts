/**
 * The Python peers' environment: a venv under .cache/bench-py/ (ignored by git) made with the
 * newest Python >= 3.12 found on the machine (PATH, then pyenv's versions), with the pinned
 * bench/servers/requirements.txt installed. Rebuilt when the requirements or the interpreter
 * change. When there is no such Python or pip fails, the peers are skipped and `skip` says why
 * in one line.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './child.js';

const DIR = join(ROOT, '.cache/bench-py');
const VENV = join(DIR, 'venv');
const REQUIREMENTS = join(ROOT, 'bench/servers/requirements.txt');

export interface PythonEnv {
  /** The venv's interpreter, when the peers can run. */
  python?: string;
  /** Why they cannot, in one line. */
  skip?: string;
  /** Interpreter and package versions, for the report. */
  versions: Record<string, string>;
}

function versionOf(exe: string): [number, number, number] | undefined {
  const r = spawnSync(exe, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8', timeout: 10_000 });
  const m = r.status === 0 ? /^(\d+)\.(\d+)\.(\d+)/.exec(r.stdout.trim()) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The newest Python >= 3.12 on PATH or in pyenv's versions (BENCH_PYTHON overrides). */
export function findPython(): { exe: string; version: string } | undefined {
  const candidates = process.env.BENCH_PYTHON ? [process.env.BENCH_PYTHON] : ['python3.14', 'python3.13', 'python3.12', 'python3'];
  if (!process.env.BENCH_PYTHON) {
    for (const root of new Set([process.env.PYENV_ROOT, join(homedir(), '.pyenv'), '/root/.pyenv'].filter((x): x is string => !!x))) {
      try { for (const v of readdirSync(join(root, 'versions'))) candidates.push(join(root, 'versions', v, 'bin', 'python3')); } catch { /* no pyenv there */ }
    }
  }
  let best: { exe: string; v: [number, number, number] } | undefined;
  for (const exe of candidates) {
    const v = versionOf(exe);
    if (!v || v[0] !== 3 || v[1] < 12) continue;
    if (!best || v[1] > best.v[1] || (v[1] === best.v[1] && v[2] > best.v[2])) best = { exe, v };
  }
  return best ? { exe: best.exe, version: best.v.join('.') } : undefined;
}

function pinned(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(REQUIREMENTS, 'utf8').split('\n')) {
    const m = /^([A-Za-z0-9_.-]+)==(\S+)/.exec(line.trim());
    if (m) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}

/** Make (or reuse) the venv; `log` gets progress lines. Gives up after `timeoutMs` of pip. */
export function pythonEnv(log: (s: string) => void, timeoutMs = 240_000): PythonEnv {
  const pins = pinned();
  const versions: Record<string, string> = {};
  for (const k of ['fastmcp', 'http-mcp', 'mcp', 'uvicorn', 'starlette', 'pydantic', 'pyjwt', 'uvloop', 'httptools']) if (pins[k]) versions[k] = pins[k];
  const found = findPython();
  if (!found) return { skip: 'no Python >= 3.12 on PATH or in pyenv (set BENCH_PYTHON to one)', versions };
  versions.python = found.version;
  const stamp = createHash('sha256').update(`${found.exe}\n${found.version}\n${readFileSync(REQUIREMENTS, 'utf8')}`).digest('hex');
  const python = join(VENV, 'bin', 'python');
  const stampFile = join(DIR, 'stamp');
  if (existsSync(python) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return { python, versions };
  log(`  Python peers: making ${VENV} with Python ${found.version} (${found.exe}) and the pinned requirements …`);
  const t0 = performance.now();
  rmSync(VENV, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const mk = spawnSync(found.exe, ['-m', 'venv', VENV], { encoding: 'utf8', timeout: 60_000 });
  if (mk.status !== 0) return { skip: `python -m venv failed: ${(mk.stderr || mk.stdout || String(mk.error)).trim().split('\n').pop()}`, versions };
  const pip = spawnSync(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-q', '-r', REQUIREMENTS], { encoding: 'utf8', timeout: timeoutMs });
  if (pip.status !== 0) {
    const why = pip.error ? `${pip.error.message} (limit ${timeoutMs / 1000} s)` : (pip.stderr || pip.stdout).trim().split('\n').pop();
    return { skip: `pip install -r bench/servers/requirements.txt failed: ${why}`, versions };
  }
  writeFileSync(stampFile, stamp);
  log(`  Python peers: venv ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { python, versions };
}
