/**
 * The Keycloak image the Docker path runs: docker/keycloak.Dockerfile, the one compose builds
 * (the upstream image plus the realm's provider jar, keycloak/providers/mcp-step-up-scopes,
 * without which the realm does not import). Built with the docker CLI: it honours
 * .dockerignore and reports a failed step in one line, where a build through the engine API
 * reports only "failed". Layer caching makes a rebuild with nothing changed take a second.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Tag for the image built from `base` (distinct from compose's, so the two never race). */
export function harnessImageTag(base: string): string {
  const tag = /:([\w][\w.-]{0,127})$/.exec(base)?.[1] ?? 'latest';
  return `mcp-keycloak-harness:${tag}`;
}

/** The daemon's error line of a failed build, without the CLI's deprecation notice. */
export function buildErrorLine(stderr: string): string {
  const noise = /^(DEPRECATED:|\s+BuildKit is currently disabled|\s+environment-variable\.|\s+Install the buildx|\s+https:\/\/docs\.docker\.com|Sending build context|Step \d+\/\d+ :| ---> )/;
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !noise.test(l));
  return (lines.at(-1) ?? 'docker build failed without a message').trim().slice(0, 400);
}

/**
 * Builds docker/keycloak.Dockerfile on `base` from the repository root and returns the tag.
 * Rejects with the daemon's error line (for a base image that is missing and cannot be
 * pulled, the registry lookup error).
 */
export function buildKeycloakImage(base: string, repoRoot: string, timeoutMs = 900_000): Promise<string> {
  const tag = harnessImageTag(base);
  const args = ['build', '-q', '-f', join(repoRoot, 'docker', 'keycloak.Dockerfile'), '--build-arg', `KEYCLOAK_IMAGE=${base}`, '-t', tag, repoRoot];
  // The classic builder unless told otherwise: BuildKit through the CLI needs the buildx plugin,
  // which many machines with an engine lack; the Dockerfile needs nothing of BuildKit's.
  const env = { ...process.env, DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT ?? '0' };
  return new Promise((done, fail) => {
    const child = spawn('docker', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(new Error(`the docker CLI is needed to build docker/keycloak.Dockerfile (${err.message})`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done(tag);
      else fail(new Error(signal ? `docker build timed out after ${timeoutMs} ms` : buildErrorLine(stderr)));
    });
  });
}
