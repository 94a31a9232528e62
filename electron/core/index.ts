/**
 * Core's entry: all that the adapters (cli, server, main, preload) may take from electron/core, besides errors.ts and
 * paths.ts. They reach everything else through `call`, as the Api. A lint zone in eslint.config.js holds them to it.
 */
import { type CoreApi, type CoreOptions, openCore as open } from './core';

export type { CoreCall, CoreOptions } from './core';
export type { Sealer } from './sealer';
export type { PdfRenderer } from './reports/pdf';
export { PREVIEW_CSP, PreviewStore } from './reports/preview-store';

/** The Api over one data directory, with a way to close it. */
export type Core = CoreApi;

/** Opens the data directory (or, with `scratch`, an in-memory store) and returns the Api over it. */
export const openCore = (o: CoreOptions): Core => open(o);
