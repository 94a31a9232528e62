// dynalite ships no types; the tests use only its factory and the net.Server it returns.
declare module 'dynalite' {
  import type { Server } from 'node:net';
  interface DynaliteOptions {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    path?: string;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}
