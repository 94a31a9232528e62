// Module customization hooks (run on Node's loader thread): record each resolved URL, change nothing.
import { appendFileSync } from 'node:fs';

let log = '';

/** @param {{ log: string }} data */
export function initialize(data) {
  log = data.log;
}

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
