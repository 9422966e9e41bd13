/**
 * The development login and consent pages: the client is named by its registered
 * client_name (cut to a sane length, escaped), its id beside it, and nothing on the page can
 * widen it sideways (a random 40-character id once overflowed the heading).
 */
import { describe, expect, it } from '@jest/globals';
import { consentPage, loginPage } from '../../src/dev-auth/pages.js';

const id = 'SfuucMiUq3w0xGdtkz1lJ9c8Yb2TnVh4PpRaLeKs';

describe('dev-auth pages', () => {
  it('name the client by client_name and fall back to the id when it has none', () => {
    expect(loginPage('u1', { id, name: 'MCP Inspector', selfRegistered: true })).toContain('to continue to <b>MCP Inspector</b>');
    expect(consentPage('u1', { id, name: '  ', selfRegistered: true }, ['mcp:tools'], [])).toContain(`<h1>Authorize ${id}?</h1>`);
    expect(loginPage('u1', { id: 'mcp-demo', selfRegistered: false })).not.toContain('self-registered');
  });

  it('escape and cut a hostile name', () => {
    const html = consentPage('u1', { id, name: `<script>x</script>${'A'.repeat(500)}`, selfRegistered: true }, ['mcp:tools'], []);
    expect(html).not.toContain('<script>');
    expect(html).toContain(`&lt;script&gt;x&lt;/script&gt;${'A'.repeat(62)}…?</h1>`);
  });

  it('wrap long unbroken strings instead of overflowing, with border-box inputs', () => {
    const html = loginPage('u1', { id, selfRegistered: true });
    expect(html).toMatch(/body\{[^}]*overflow-wrap:anywhere/);
    expect(html).toContain('*{box-sizing:border-box}');
  });
});
