/** Example resource: static facts about this server. */
import { defineResource, SUPPORTED_VERSIONS } from '../index.js';

export default defineResource({
  uri: 'info://server',
  name: 'server-info',
  title: 'Server information',
  description: 'Protocol versions and transports this server supports.',
  mimeType: 'application/json',
  scopes: ['mcp:resources'],
  read: () => JSON.stringify({ name: 'mcp-resource-server', protocolVersions: SUPPORTED_VERSIONS, transports: ['streamable-http', 'stdio'] }),
});
