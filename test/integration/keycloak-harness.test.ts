/**
 * The harness's choice between a Keycloak container and the local distribution (bug 7: with a
 * Docker engine up but the Keycloak image neither present nor pullable, every test of the suite
 * failed with a bare registry lookup error). Cheap: no Keycloak is started here; the starters
 * are injected, except in the last test, which asks the real engine for an image that does not
 * exist (a second or so) and is skipped when no engine answers.
 */
import { describe, expect, it, jest } from '@jest/globals';
import {
  dockerReachable, KeycloakContainerError, startKeycloak, type HarnessDeps, type KeycloakInstance,
} from './keycloak/keycloak-harness.js';
import { startFailureReason } from './keycloak/keycloak-container.js';
import { buildErrorLine } from './keycloak/keycloak-image.js';

// What the engine says when the image is missing and no registry is reachable.
const REGISTRY_ERROR = '(HTTP code 500) server error - Get "https://quay.io/v2/": dial tcp: lookup quay.io on 10.255.255.53:53: no such host';
const IMAGE = 'quay.io/keycloak/keycloak:26.7.4';

/** Stands in for a locally started Keycloak; only identity matters. */
const localInstance = { mode: 'local' } as KeycloakInstance;

function deps(engine: boolean) {
  const warnings: string[] = [];
  const d = {
    dockerReachable: jest.fn(async () => engine),
    startContainer: jest.fn(async () => {
      throw new Error(`${REGISTRY_ERROR}\n    at Modem.buildPayload (docker-modem/lib/modem.js:1:1)`);
    }),
    startLocal: jest.fn(async () => localInstance),
    warn: (line: string) => void warnings.push(line),
  } satisfies HarnessDeps;
  return { d, warnings };
}

describe('startKeycloak: container or local distribution', () => {
  it('auto: a container that cannot start falls back to local, with one line naming the image and the cause', async () => {
    const { d, warnings } = deps(true);
    const kc = await startKeycloak({ mode: 'auto', image: IMAGE }, d);
    expect(kc).toBe(localInstance);
    expect(d.startContainer).toHaveBeenCalledTimes(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(IMAGE);
    expect(warnings[0]).toContain('lookup quay.io');
    expect(warnings[0]).toMatch(/falling back to the local distribution/i);
    expect(warnings[0]).not.toContain('\n');
  });

  it('docker: the same failure is one clear error, and no local fallback', async () => {
    const { d } = deps(true);
    const started = startKeycloak({ mode: 'docker', image: IMAGE }, d);
    await expect(started).rejects.toBeInstanceOf(KeycloakContainerError);
    await expect(started).rejects.toThrow(`Keycloak container (image ${IMAGE}) could not be started: ${REGISTRY_ERROR}`);
    expect(d.startLocal).not.toHaveBeenCalled();
  });

  it('docker without an engine: fails saying so, without trying a container', async () => {
    const { d } = deps(false);
    await expect(startKeycloak({ mode: 'docker', image: IMAGE }, d)).rejects.toThrow(/no Docker engine answers/);
    expect(d.startContainer).not.toHaveBeenCalled();
    expect(d.startLocal).not.toHaveBeenCalled();
  });

  it('auto without an engine, and local: straight to the local distribution, silently', async () => {
    for (const [mode, engine] of [['auto', false], ['local', true]] as const) {
      const { d, warnings } = deps(engine);
      await expect(startKeycloak({ mode, image: IMAGE }, d)).resolves.toBe(localInstance);
      expect(d.startContainer).not.toHaveBeenCalled();
      expect(warnings).toEqual([]);
    }
  });
});

describe('failure reasons are one line', () => {
  it('docker build: the daemon error, not the CLI notices', () => {
    const stderr = [
      'DEPRECATED: The legacy builder is deprecated and will be removed in a future release.',
      '            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0',
      '            environment-variable.', '', 'Sending build context to Docker daemon  2.117MB',
      'Step 3/11 : FROM ${KEYCLOAK_IMAGE} AS keycloak', REGISTRY_ERROR.replace(/^.*? - /, ''), '',
    ].join('\n');
    expect(buildErrorLine(stderr)).toBe('Get "https://quay.io/v2/": dial tcp: lookup quay.io on 10.255.255.53:53: no such host');
  });

  it('a Keycloak that exits during start-up: its ERROR lines', () => {
    const logs = [
      'Container exited during HTTP healthCheck, last 50 logs: Updating the configuration',
      '2026-12-02 16:13:58,138 ERROR [org.keycloak.quarkus.runtime.cli.ExecutionExceptionHandler] (main) ERROR: Failed to start server in (development) mode',
      "2026-12-02 16:13:58,143 ERROR [org.keycloak.quarkus.runtime.cli.ExecutionExceptionHandler] (main) ERROR: No such provider 'mcp-step-up-scopes'",
    ].join('\n');
    expect(startFailureReason(new Error(logs))).toBe("Keycloak exited during start-up: Failed to start server in (development) mode; No such provider 'mcp-step-up-scopes'");
  });
});

// A real engine, a tag that exists nowhere: testcontainers tries to pull it and the registry
// cannot be reached (or has no such tag); the harness must say so in one sentence.
const engine = await dockerReachable();
if (!engine) process.stderr.write('keycloak-harness.test: no Docker engine answers; the real missing-image run is skipped\n');

describe('startKeycloak against the real engine', () => {
  (engine ? it : it.skip)('docker mode, image missing: one error naming the image and the cause', async () => {
    const image = 'quay.io/keycloak/keycloak:0.0.0-does-not-exist';
    const started = startKeycloak({ mode: 'docker', image, startTimeoutMs: 30_000 });
    await expect(started).rejects.toBeInstanceOf(KeycloakContainerError);
    await expect(started).rejects.toThrow(`Keycloak container (image ${image}) could not be started: the image is not present locally and pulling it failed (`);
  }, 60_000);
});
