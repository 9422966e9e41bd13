/**
 * The Docker path of the Keycloak harness: one Keycloak container through testcontainers (a
 * devDependency, still imported dynamically so the local path works without it), and the one
 * error that says why a container could not start.
 *
 * Test machines and CI sandboxes often reach no container registry, so:
 *  - an image present locally is used as is: testcontainers' default pull policy pulls only a
 *    missing image (an "always pull" policy would fail on a registry lookup every time);
 *  - Ryuk, the reaper container testcontainers starts first, is disabled (its image would have
 *    to be pulled): the harness removes its own containers, through stop() and, should a run
 *    end without stop(), `docker rm -f` from a process exit hook.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';

/** What the harness asks of a container start (everything already resolved). */
export interface ContainerRequest {
  /** e.g. quay.io/keycloak/keycloak:26.7.4 */
  readonly image: string;
  /** Keycloak's environment (realm placeholders, bootstrap admin, extras). */
  readonly env: Record<string, string>;
  /** Fixed host port for container port 8080, chosen up front so the issuer is known. */
  readonly hostPort: number;
  /** http://localhost:<hostPort>, pinned as Keycloak's hostname (and so the issuer). */
  readonly baseUrl: string;
  /** Path of the realm JSON to import. */
  readonly realmFile: string;
  readonly startTimeoutMs: number;
}

/** A started Keycloak container. */
export interface RunningContainer {
  readonly id: string;
  /** Stops and removes the container; safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts a Keycloak container; injectable so the harness's mode choice is testable. */
export type ContainerStarter = (req: ContainerRequest) => Promise<RunningContainer>;

/** Why the Keycloak container could not be started: names the image and the cause. */
export class KeycloakContainerError extends Error {
  constructor(
    readonly image: string,
    readonly reason: string,
  ) {
    super(`Keycloak container (image ${image}) could not be started: ${reason}`);
    this.name = 'KeycloakContainerError';
  }
}

/** The first line of an error, which for Docker API errors is the daemon's own sentence. */
export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.trim().slice(0, 400);
}

/** Wraps any start failure as a KeycloakContainerError (kept as is when it already is one). */
export function containerFailure(image: string, err: unknown): KeycloakContainerError {
  return err instanceof KeycloakContainerError ? err : new KeycloakContainerError(image, firstLine(err));
}

// ---------------------------------------------------------------------------------------------
// the engine

type EngineTarget = { socketPath: string } | { host: string; port: number };

/** Where DOCKER_HOST (unix or tcp) or the default socket points; undefined when no socket file. */
function engineTarget(): EngineTarget | undefined {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('tcp://')) {
    const u = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: u.hostname, port: Number(u.port || 2375) };
  }
  const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
  return existsSync(socketPath) ? { socketPath } : undefined;
}

/** Human-readable name of the engine endpoint probed, for messages. */
export function engineEndpoint(): string {
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

/** GET on the engine API; resolves to the status code, or undefined when nothing answers. */
function engineGet(path: string): Promise<number | undefined> {
  const target = engineTarget();
  if (!target) return Promise.resolve(undefined);
  return new Promise((done) => {
    const req = request({ ...target, path, method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      done(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(undefined));
    req.end();
  });
}

/** True when a Docker engine answers /_ping on DOCKER_HOST (unix or tcp) or the default socket. */
export async function dockerReachable(): Promise<boolean> {
  return (await engineGet('/_ping')) === 200;
}

/** True when the engine has the image locally (GET /images/<name>/json is 200). */
export async function imagePresent(image: string): Promise<boolean> {
  return (await engineGet(`/images/${encodeURIComponent(image)}/json`)) === 200;
}

// ---------------------------------------------------------------------------------------------
// testcontainers

/** The slice of the testcontainers API used here (so this file type-checks without the package). */
interface StartedContainer {
  getId(): string;
  stop(): Promise<unknown>;
}
interface ContainerBuilder {
  withEnvironment(env: Record<string, string>): ContainerBuilder;
  withCopyFilesToContainer(files: { source: string; target: string }[]): ContainerBuilder;
  withCommand(cmd: string[]): ContainerBuilder;
  withExposedPorts(...ports: ({ container: number; host: number } | number)[]): ContainerBuilder;
  withLabels(labels: Record<string, string>): ContainerBuilder;
  withPullPolicy(policy: unknown): ContainerBuilder;
  withWaitStrategy(strategy: unknown): ContainerBuilder;
  withStartupTimeout(ms: number): ContainerBuilder;
  start(): Promise<StartedContainer>;
}
interface TestcontainersModule {
  GenericContainer: new (image: string) => ContainerBuilder;
  PullPolicy: { defaultPolicy(): unknown };
  Wait: { forHttp(path: string, port: number): { forStatusCode(code: number): unknown } };
}

async function loadTestcontainers(): Promise<TestcontainersModule | undefined> {
  // A variable specifier keeps TypeScript (and bundlers) from resolving the optional package.
  const specifier = 'testcontainers';
  try {
    return (await import(specifier)) as TestcontainersModule;
  } catch {
    return undefined;
  }
}

/** Label on every harness container, so a leftover one is easy to find (`docker ps --filter`). */
export const HARNESS_LABEL = 'mcp-resource-server.test-harness';

/** The real ContainerStarter: testcontainers against the engine, no Ryuk, no forced pull. */
export async function startKeycloakContainer(req: ContainerRequest): Promise<RunningContainer> {
  // Respect an explicit setting (a machine with a registry may want Ryuk); default: off.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const tc = await loadTestcontainers();
  if (!tc) throw new KeycloakContainerError(req.image, 'the "testcontainers" package is not installed (npm install)');
  if (!(await dockerReachable())) throw new KeycloakContainerError(req.image, `no Docker engine answers at ${engineEndpoint()}`);
  const present = await imagePresent(req.image);

  let started: StartedContainer;
  try {
    started = await new tc.GenericContainer(req.image)
      .withPullPolicy(tc.PullPolicy.defaultPolicy())
      .withLabels({ [HARNESS_LABEL]: 'keycloak' })
      .withEnvironment(req.env)
      .withCopyFilesToContainer([{ source: req.realmFile, target: '/opt/keycloak/data/import/mcp-realm.json' }])
      .withCommand(['start-dev', '--import-realm', '--db=dev-mem', `--hostname=${req.baseUrl}`, '--health-enabled=true'])
      .withExposedPorts({ container: 8080, host: req.hostPort }, 9000)
      .withWaitStrategy(tc.Wait.forHttp('/health/ready', 9000).forStatusCode(200))
      .withStartupTimeout(req.startTimeoutMs)
      .start();
  } catch (err) {
    const reason = present
      ? firstLine(err)
      : `the image is not present locally and pulling it failed (${firstLine(err)}); build or load it into the engine first (docker image ls), or use KEYCLOAK_HARNESS_MODE=local`;
    throw new KeycloakContainerError(req.image, reason);
  }

  const id = started.getId();
  // Without Ryuk nothing else removes the container if the run ends before stop().
  const onExit = () => {
    spawnSync('docker', ['rm', '-f', id], { stdio: 'ignore', timeout: 20_000 });
  };
  process.once('exit', onExit);
  let stopped: Promise<void> | undefined;
  return {
    id,
    stop() {
      stopped ??= (async () => {
        process.removeListener('exit', onExit);
        await started.stop();
      })();
      return stopped;
    },
  };
}
