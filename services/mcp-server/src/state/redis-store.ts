/**
 * The StateStore on Redis, for several replicas (REDIS_URL). Client: ioredis, chosen for its
 * reconnection built in (retryStrategy, re-subscribing its channels after a reconnect), its
 * own TypeScript types and EVALSHA-cached scripts; it is imported only when REDIS_URL is set.
 *
 * Redis down: commands are not queued (enableOfflineQueue: false) but fail at once with
 * StoreUnavailableError, so callers fail closed (a session lookup is refused, never guessed)
 * instead of hanging; the client keeps reconnecting every ≤ 2 s and the server recovers by
 * itself when Redis returns. Two connections: a subscriber connection cannot run commands.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { StoreUnavailableError } from './errors.js';
import type { MessageListener, SetOptions, StateStore } from './store.js';

/** Options of the Redis store. */
export interface RedisStoreOptions {
  /** redis:// or rediss:// URL (REDIS_URL). */
  readonly url: string;
  /** Prefix of every key and channel, so several deployments can share one Redis (default "mcp:"). */
  readonly prefix?: string;
  /** How long start-up waits for the first connection, ms (default 10 s). */
  readonly connectTimeoutMs?: number;
}

// INCRBY then PEXPIRE only when the key has no expiry yet: a fixed window, atomically.
const INCREMENT = `local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n`;

type Scripted = Redis & { mcpIncrement(key: string, by: number, ttlMs: number): Promise<number> };

/** Connect to Redis; resolves once both connections are ready (else StoreUnavailableError). */
export async function connectRedisStore(opts: RedisStoreOptions): Promise<RedisStore> {
  const { Redis: Client } = await import('ioredis');
  let gaveUp = false;
  const base: RedisOptions = {
    lazyConnect: true,
    connectTimeout: opts.connectTimeoutMs ?? 10_000,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => (gaveUp ? null : Math.min(times * 100, 2000)),
  };
  const cmd = new Client(opts.url, { ...base, enableOfflineQueue: false }) as Scripted;
  const sub = new Client(opts.url, { ...base, enableOfflineQueue: true });
  cmd.defineCommand('mcpIncrement', { numberOfKeys: 1, lua: INCREMENT });
  // Errors surface through rejected commands and ping(); an unhandled 'error' event would crash.
  for (const c of [cmd, sub]) c.on('error', () => {});
  try {
    await Promise.all([cmd.connect(), sub.connect()]);
  } catch (e) {
    gaveUp = true;
    cmd.disconnect(); sub.disconnect();
    throw new StoreUnavailableError(`Redis at ${redact(opts.url)} is not reachable: ${(e as Error).message}`, { cause: e });
  }
  return new RedisStore(cmd, sub, opts.prefix ?? 'mcp:');
}

/** A StateStore in Redis; build it with connectRedisStore. */
export class RedisStore implements StateStore {
  private readonly channels = new Map<string, Set<MessageListener>>();

  constructor(private readonly cmd: Scripted, private readonly sub: Redis, private readonly prefix: string) {
    sub.on('message', (channel: string, message: string) => {
      const listeners = this.channels.get(channel.slice(prefix.length));
      if (listeners) for (const l of [...listeners]) l(message);
    });
  }

  get(key: string): Promise<string | undefined> {
    return this.run(async () => (await this.cmd.get(this.prefix + key)) ?? undefined);
  }

  async set(key: string, value: string, opts: SetOptions): Promise<boolean> {
    const ttl = checkTtl(opts.ttlMs);
    return this.run(async () => {
      const k = this.prefix + key;
      const r = opts.ifAbsent ? await this.cmd.set(k, value, 'PX', ttl, 'NX')
        : opts.ifPresent ? await this.cmd.set(k, value, 'PX', ttl, 'XX')
        : await this.cmd.set(k, value, 'PX', ttl);
      return r === 'OK';
    });
  }

  delete(key: string): Promise<boolean> {
    return this.run(async () => (await this.cmd.del(this.prefix + key)) > 0);
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    const ttl = checkTtl(ttlMs);
    return this.run(() => this.cmd.mcpIncrement(this.prefix + key, by, ttl));
  }

  publish(channel: string, message: string): Promise<void> {
    return this.run(async () => { await this.cmd.publish(this.prefix + channel, message); });
  }

  async subscribe(channel: string, listener: MessageListener): Promise<() => Promise<void>> {
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
      // Queued while disconnected; ioredis re-subscribes every channel after a reconnect.
      await this.run(() => this.sub.subscribe(this.prefix + channel));
    }
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size > 0 || this.channels.get(channel) !== set) return;
      this.channels.delete(channel);
      await this.sub.unsubscribe(this.prefix + channel).catch(() => {});
    };
  }

  ping(): Promise<void> {
    return this.run(async () => { await this.cmd.ping(); });
  }

  async close(): Promise<void> {
    this.channels.clear();
    await Promise.allSettled([this.cmd.quit(), this.sub.quit()]);
    this.cmd.disconnect(); this.sub.disconnect();
  }

  /** Every Redis failure becomes StoreUnavailableError (ERR_STATE_UNAVAILABLE). */
  private async run<T>(op: () => Promise<T>): Promise<T> {
    try { return await op(); } catch (e) {
      throw new StoreUnavailableError(`The state store (Redis) is unavailable: ${(e as Error).message}`, { cause: e });
    }
  }
}

function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@');
}
