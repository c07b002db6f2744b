/**
 * The store's front door. `storeOf(ws)` is the one place that picks the backend for a workspace (files today; a
 * shared backend would be chosen here from config), and every persisted thing goes through what it returns.
 * Families import from here: `storeOf(ctx.ws).family('alerts')` (see store.ts for the full contract).
 */
import type { Workspace } from '../config/load.js';
import { FileBackend } from './files.js';
import { Store } from './store.js';

export { Store, lockKeyOf, type LockHolder, type LockOptions, type StoreBackend, type TryLock } from './store.js';
export { FileBackend } from './files.js';

const stores = new WeakMap<Workspace, Store>();

/** The store of a workspace (cached per workspace object). A `Store` passed in is returned as is. */
export function storeOf(ws: Workspace | Store): Store {
  if (ws instanceof Store) return ws;
  let s = stores.get(ws);
  if (!s) {
    s = new Store(new FileBackend(ws.fractary, (k) => ws.display(k)));
    stores.set(ws, s);
  }
  return s;
}
