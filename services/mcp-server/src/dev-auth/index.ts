// Public entry of the embedded development authorization server (development only).
export { createDevAuthServer } from './server.js';
export type { DevAuthServer, DevAuthServerOptions, DevAuthUser } from './server.js';
export { loadRealm, DEFAULT_REALM_FILE } from './realm.js';
export type { Realm, RealmClient, RealmUser } from './realm.js';
