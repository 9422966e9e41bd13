/**
 * The 2025 session journey across replicas, driven by the official v1 SDK client: every HTTP
 * request the client makes goes to the next replica in turn (its `fetch` is wrapped), so
 * initialize, notifications/initialized, the GET stream, resources/subscribe, a tool call,
 * the client's reply to that call's elicitation and DELETE each land on a different replica
 * than the request before.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ResourceUpdatedNotificationSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';

/** What the journey saw; `failures` is empty when every step held. */
export interface JourneyResult { failures: string[]; hops: string[] }

const URI = 'info://server';

/** Run the journey against `urls` (one per replica) as the bearer of `token`. */
export async function sessionJourney(urls: string[], token: string): Promise<JourneyResult> {
  const hops: { what: string; replica: number }[] = [];
  const failures: string[] = [];
  let next = 0;
  const roundRobin = (_input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const replica = next++ % urls.length;
    hops.push({ what: describe(init), replica: replica + 1 });
    return fetch(urls[replica], init);
  };
  const client = new Client({ name: 'cluster-session-journey', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { answer: 'yes' } }));
  const updated: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => { updated.push(n.params.uri); });
  const transport = new StreamableHTTPClientTransport(new URL(urls[0]), { fetch: roundRobin, requestInit: { headers: { authorization: `Bearer ${token}` } } });
  const check = (ok: boolean, what: string) => { if (!ok) failures.push(what); };
  try {
    await client.connect(transport);
    const sessionId = transport.sessionId;
    check(typeof sessionId === 'string', 'initialize returned no Mcp-Session-Id');
    // The SDK opens its GET stream after notifications/initialized, without waiting for it.
    await waitUntil(() => hops.some((h) => h.what === 'GET stream'), 5000);
    check(hops.some((h) => h.what === 'GET stream'), 'the client never opened its GET stream');

    await client.subscribeResource({ uri: URI });
    const progress: Progress[] = [];
    const r = await client.callTool({ name: 'cluster_confirm', arguments: { question: 'Proceed?' } }, undefined, { onprogress: (p) => { progress.push(p); } });
    const text = (r.content as { type: string; text?: string }[])[0]?.text ?? '';
    check(r.isError !== true && text.startsWith('yes (asked by pid '), `cluster_confirm answered ${JSON.stringify(r.content)}`);
    check(progress.map((p) => p.progress).join(',') === '1,2', `progress seen: ${JSON.stringify(progress)}`);
    const call = hops.findIndex((h) => h.what === 'tools/call cluster_confirm');
    const reply = hops.findIndex((h) => h.what === 'reply');
    check(call >= 0 && reply > call && hops[reply].replica !== hops[call].replica, 'the elicitation reply did not land on another replica than the tool call');

    // resources/subscribe was stored by one replica; the change is raised on another; the GET
    // stream that must carry it is held by a third.
    await client.callTool({ name: 'cluster_touch', arguments: { uri: URI } });
    await waitUntil(() => updated.includes(URI), 5000);
    check(updated.includes(URI), `notifications/resources/updated for ${URI} never reached the session's GET stream`);

    await transport.terminateSession();
    for (const [i, url] of urls.entries()) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId ?? '', 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      await res.arrayBuffer();
      check(res.status === 404, `replica ${i + 1} answered ${res.status} for the deleted session (expected 404)`);
    }
  } catch (e) {
    failures.push(`journey threw: ${(e as Error).message}`);
  } finally {
    await client.close().catch(() => {});
  }
  const used = new Set(hops.map((h) => h.replica)).size;
  check(used === urls.length, `only ${used} of ${urls.length} replicas were used`);
  return { failures, hops: hops.map((h) => `${h.what}@${h.replica}`) };
}

/** What a request carries, for the hop log. */
function describe(init?: RequestInit): string {
  if (init?.method === 'GET') return 'GET stream';
  if (init?.method === 'DELETE') return 'DELETE';
  try {
    const m = JSON.parse(String(init?.body)) as { method?: string; params?: { name?: string }; result?: unknown; error?: unknown };
    if (m.method) return m.params?.name ? `${m.method} ${m.params.name}` : m.method;
    return 'reply';
  } catch { return 'POST'; }
}

async function waitUntil(ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}
