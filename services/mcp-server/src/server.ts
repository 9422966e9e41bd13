/**
 * Compose a server from definitions: registry, lifespan state, engine. Transports (HTTP,
 * STDIO) are attached by the caller; nothing here is constructed per request.
 */
import type { z } from 'zod';
import type { AppState } from './mcp/context.js';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from './mcp/define.js';
import { createEngine, type Engine, type EngineOptions } from './mcp/engine.js';
import { Registry } from './mcp/registry.js';
import { silentLogger, type Logger } from './logging/logger.js';
import { MemoryStore } from './state/memory-store.js';

/** Create application state at start-up and dispose of it at shutdown. */
export interface Lifespan<S extends AppState = AppState> {
  start(logger: Logger): S | Promise<S>;
  stop?(state: S): void | Promise<void>;
}

/** Everything a server is made of. */
export interface McpServerOptions extends Omit<EngineOptions, 'registry' | 'state'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  tools?: readonly ToolDefinition<z.ZodObject, any>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  prompts?: readonly PromptDefinition<any>[];
  resources?: readonly ResourceDefinition[];
  templates?: readonly ResourceTemplateDefinition[];
  lifespan?: Lifespan;
}

/** A composed server, ready for transports. */
export interface McpServer {
  readonly registry: Registry;
  readonly engine: Engine;
  /**
   * Tell subscribers a resource's content changed: `notifications/resources/updated` goes to
   * every 2026-07-28 listen stream and 2025 session that subscribed to `uri`.
   */
  resourceUpdated(uri: string): void;
  /** Run the lifespan's stop and close open streams. */
  close(): Promise<void>;
}

/** Build the registry, run the lifespan's start, create the engine. */
export async function createMcpServer(options: McpServerOptions): Promise<McpServer> {
  const { tools = [], prompts = [], resources = [], templates = [], lifespan, ...engineOptions } = options;
  const registry = new Registry();
  for (const t of tools) registry.tool(t);
  for (const p of prompts) registry.prompt(p);
  for (const r of resources) registry.resource(r);
  for (const t of templates) registry.template(t);
  const state: AppState = lifespan ? await lifespan.start(engineOptions.logger ?? silentLogger) : ({} as AppState);
  // The store is shared state (task records today); one we create here is ours to close.
  const ownStore = engineOptions.store === undefined ? new MemoryStore() : undefined;
  const engine = createEngine({ ...engineOptions, store: engineOptions.store ?? ownStore, registry, state });
  let closed = false;
  return {
    registry,
    engine,
    resourceUpdated: (uri) => engine.services.hub.resourceUpdated(uri),
    async close() {
      if (closed) return;
      closed = true;
      // Tasks running here end as failed, so their clients stop polling.
      await engine.services.tasks.close();
      engine.close();
      await lifespan?.stop?.(state);
      await ownStore?.close();
    },
  };
}
