import type { SyncBridge } from './sync-bridge.js';

/**
 * The bridge behind each registration. ghsql's own CLI knows where its statements begin and tells the
 * bridge (beginStatement); the package's entry point does not export this, so it is no public API.
 */
export const bridges = new WeakMap<object, SyncBridge>();
