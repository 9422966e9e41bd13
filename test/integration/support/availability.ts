/**
 * Can this machine run Keycloak for the integration suite? Either a Docker engine (with the
 * testcontainers package) or the Maven distribution path: a JDK (scripts/keycloak/common.sh
 * picks one) plus Maven to fetch the distribution (unless it is already unpacked in .cache)
 * and curl. When neither path works the suite is skipped on a developer machine, loudly, and
 * fails in CI (CI=true), so a CI runner without Java can never turn the suite green by skipping.
 * KEYCLOAK_HARNESS_MODE=docker (npm run test:integration:docker) needs the engine itself: without
 * one it skips with one line, or fails under CI=true, whatever Java is there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerReachable } from '../keycloak/keycloak-harness.js';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Which way Keycloak can be started here, or what is missing. */
export interface KeycloakRuntime {
  available: boolean;
  /** The KEYCLOAK_HARNESS_MODE the answer is for. */
  mode: 'auto' | 'docker' | 'local';
  /** 'docker' or 'local' when available. */
  path?: 'docker' | 'local';
  /** Human-readable reasons, one per missing piece. */
  missing: string[];
}

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 20_000 }).status === 0;

async function testcontainersInstalled(): Promise<boolean> {
  const specifier = 'testcontainers';
  try {
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}

/** Probes Docker first, then Java + Maven (or an unpacked distribution) + curl. */
export async function detectKeycloakRuntime(): Promise<KeycloakRuntime> {
  const mode = harnessMode();
  const missing: string[] = [];
  if (mode !== 'local') {
    const engine = await dockerReachable();
    const tc = engine && (await testcontainersInstalled());
    if (engine && tc) return { available: true, mode, path: 'docker', missing };
    missing.push(engine ? 'the testcontainers package (npm install)' : `a Docker engine (${process.env.DOCKER_HOST ?? '/var/run/docker.sock'} does not answer /_ping)`);
    if (mode === 'docker') return { available: false, mode, missing };
  }
  // The same JDK choice as the start script (KC_JAVA_HOME, else the newest JDK >= 21, else `java`).
  const java = has('bash', ['-c', `source "${join(repoRoot, 'scripts/keycloak/common.sh')}" && kc_pick_java_home && "\${JAVA_HOME:+$JAVA_HOME/bin/}java" -version`]);
  if (!java) missing.push('a Java runtime (java on PATH, a JDK under /usr/lib/jvm, or KC_JAVA_HOME)');
  const version = readFileSync(join(repoRoot, 'keycloak', 'VERSION'), 'utf8').trim();
  const unpacked = existsSync(join(process.env.KC_CACHE_DIR ?? join(repoRoot, '.cache', 'keycloak'), `keycloak-${version}`, 'bin', 'kc.sh'));
  const maven = unpacked || has('mvn', ['-v']);
  if (!maven) missing.push(`Maven (mvn) to fetch the Keycloak ${version} distribution`);
  const curl = has('curl', ['--version']);
  if (!curl) missing.push('curl (used by scripts/keycloak/start.sh)');
  const localOk = java && maven && curl;
  return localOk ? { available: true, mode, path: 'local', missing: [] } : { available: false, mode, missing };
}

/** KEYCLOAK_HARNESS_MODE as the harness reads it (unknown values are the harness's error). */
function harnessMode(): 'auto' | 'docker' | 'local' {
  const v = process.env.KEYCLOAK_HARNESS_MODE;
  return v === 'docker' || v === 'local' ? v : 'auto';
}

/** True when running in CI (CI=true, as GitHub Actions, GitLab and most runners set it). */
export function inCi(): boolean {
  const v = (process.env.CI ?? '').toLowerCase();
  return v !== '' && v !== 'false' && v !== '0';
}

/**
 * Resolves to true when the suite can run. Otherwise: in CI throws (the test file fails);
 * on a developer machine prints a banner naming what is missing and resolves to false.
 */
export async function requireKeycloakRuntime(suite: string): Promise<boolean> {
  const rt = await detectKeycloakRuntime();
  if (rt.available) return true;
  if (inCi()) throw new Error(`${suite}: Keycloak cannot be started in CI (CI=${process.env.CI}, KEYCLOAK_HARNESS_MODE=${rt.mode}); missing: ${rt.missing.join('; ')}`);
  if (rt.mode === 'docker') {
    // Docker mode was asked for by name: one line, and no advice about Java.
    process.stderr.write(`\n### ${suite}: SKIPPED - KEYCLOAK_HARNESS_MODE=docker needs ${rt.missing.join(' and ')}; with CI=true this fails ###\n`);
    return false;
  }
  const lines = [
    `${suite}: SKIPPED - no way to start Keycloak on this machine.`,
    'Missing (either path is enough):',
    ...rt.missing.map((m) => `  - ${m}`),
    'Install a JDK (21+) and Maven, or start a Docker engine, then run: npm run test:integration',
    'With CI=true this is a failure, not a skip.',
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const bar = '#'.repeat(width);
  const banner = ['', bar, ...lines.map((l) => `# ${l.padEnd(width - 4)} #`), bar, ''].join('\n');
  // Straight to stderr: shown even with --silent, and before jest's summary.
  process.stderr.write(`${banner}\n`);
  return false;
}
