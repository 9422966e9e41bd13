/** The hub's changes travel through the shared store: raised on one replica, heard on all. */
import { describe, expect, it } from '@jest/globals';
import { NotificationHub } from '../../src/mcp/hub.js';
import { MemoryStore } from '../../src/state/index.js';
import { shareHub } from '../../src/bootstrap/shared-state.js';
import { silentLogger } from '../../src/logging/logger.js';

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('shareHub', () => {
  it('delivers a change raised on one hub to the sinks of another, once each', async () => {
    const store = new MemoryStore({ sweepMs: 0 });
    const [h1, h3] = [new NotificationHub(), new NotificationHub()];
    await shareHub(h1, store, silentLogger);
    await shareHub(h3, store, silentLogger);
    const got: string[] = [];
    h1.add({ filter: { toolsListChanged: true, resourceSubscriptions: new Set(['info://server']) }, send: (m, p) => got.push(`${m} ${JSON.stringify(p)}`) });
    h3.listChanged('tool');
    h3.resourceUpdated('info://server');
    h3.resourceUpdated('info://other');
    await tick();
    expect(got).toEqual(['notifications/tools/list_changed {}', 'notifications/resources/updated {"uri":"info://server"}']);
    await store.close();
  });

  it('still delivers locally when publishing fails, and ignores malformed events', async () => {
    const store = new MemoryStore({ sweepMs: 0 });
    const hub = new NotificationHub();
    await shareHub(hub, store, silentLogger);
    const got: string[] = [];
    hub.add({ filter: { promptsListChanged: true }, send: (m) => got.push(m) });
    await store.publish('hub', '{"t":"list","kind":"nope"}');
    store.publish = () => Promise.reject(new Error('down'));
    hub.listChanged('prompt');
    await tick();
    expect(got).toEqual(['notifications/prompts/list_changed']);
    await store.close();
  });
});
