/**
 * The README's Docker journey in a throw-away copy of the checkout: the copy gets
 * `cp .env.example .env` (a user's own .env is never read or touched), and every `docker
 * compose` command runs there under a project name of its own, with an environment that
 * carries nothing the compose file interpolates, so only .env configures the stack.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Never copied: dependencies, build output, caches, VCS data and the user's .env. */
const SKIP = new Set(['node_modules', '.git', '.cache', 'results', 'dist', 'coverage']);

/** What a command printed and how it ended. */
export interface Run { code: number; stdout: string; stderr: string }

/** Only what docker itself needs: no MCP_*, KC_*, PORT... that would override .env. */
function dockerEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CONTEXT', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'TMPDIR'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

/** Runs a command; resolves with its output whatever the exit code. */
export function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: opts.cwd ?? repoRoot, env: dockerEnv(), maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) || (err && code === 1 ? err.message : '') });
    });
  });
}

/** The compose project under test. */
export class Stack {
  /** The copy of the checkout the stack runs from. */
  readonly dir: string;
  /** `docker compose -p` name: unique per run, so it never meets a user's own stack. */
  readonly project: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'mcp-compose-test-'));
    this.project = `mcprs-compose-test-${process.pid}-${Date.now().toString(36)}`;
    cpSync(repoRoot, this.dir, {
      recursive: true,
      filter: (src) => !SKIP.has(basename(src)) && relative(repoRoot, src) !== '.env',
    });
    // The README's first step.
    copyFileSync(join(this.dir, '.env.example'), join(this.dir, '.env'));
  }

  /** `docker compose -p <project> ...args` in the copy; throws with its output on failure. */
  async compose(args: string[], timeoutMs = 120_000): Promise<string> {
    const r = await this.tryCompose(args, timeoutMs);
    if (r.code !== 0) throw new Error(`docker compose ${args.join(' ')} exited ${r.code}\n${(r.stderr || r.stdout).trim().slice(-4000)}`);
    return r.stdout;
  }

  /** Like compose() but resolves with the outcome instead of throwing. */
  tryCompose(args: string[], timeoutMs = 120_000): Promise<Run> {
    return run('docker', ['compose', '-p', this.project, ...args], { cwd: this.dir, timeoutMs });
  }

  /** The environment compose resolved for a service (from .env), as `docker compose config` shows it. */
  async environment(service: string): Promise<Record<string, string>> {
    const cfg = JSON.parse(await this.compose(['config', '--format', 'json'])) as { services: Record<string, { environment?: Record<string, string> }> };
    return cfg.services[service]?.environment ?? {};
  }

  /** `docker inspect` of the service's (single) container. */
  async inspect(service: string): Promise<ContainerInspect> {
    const id = (await this.compose(['ps', '-a', '-q', service])).trim();
    if (!id) throw new Error(`no container for service ${service}`);
    const r = await run('docker', ['inspect', id]);
    if (r.code !== 0) throw new Error(`docker inspect ${id}: ${r.stderr}`);
    return (JSON.parse(r.stdout) as ContainerInspect[])[0]!;
  }

  /** The last lines of every service's log (for failure reports). */
  async logs(tail = 60): Promise<string> {
    return (await this.tryCompose(['logs', '--no-color', '--tail', String(tail)])).stdout;
  }

  /** Containers, volumes and networks still labelled with this project. */
  async leftovers(): Promise<string[]> {
    const label = `label=com.docker.compose.project=${this.project}`;
    const out: string[] = [];
    for (const [what, args] of [['container', ['ps', '-a']], ['volume', ['volume', 'ls']], ['network', ['network', 'ls']]] as const) {
      const r = await run('docker', [...args, '-q', '--filter', label]);
      if (r.code !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
      for (const id of r.stdout.split('\n').filter(Boolean)) out.push(`${what} ${id}`);
    }
    return out;
  }

  /** Removes the copy of the checkout. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The parts of `docker inspect` the journeys read. */
export interface ContainerInspect {
  Config: { User: string; Image: string; Healthcheck?: { Test: string[] } };
  HostConfig: { ReadonlyRootfs: boolean; Init?: boolean; PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> };
  State: { Status: string; ExitCode: number; OOMKilled: boolean; Health?: { Status: string; Log?: { ExitCode: number; Output: string }[] } };
}
