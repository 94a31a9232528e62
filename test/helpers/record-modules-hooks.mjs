import { appendFileSync } from 'node:fs';

/** Outermost resolve hook: sees the final URL of every import, whichever loader (tsx) resolved it. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (process.env.FIREBREAK_RECORD_MODULES) appendFileSync(process.env.FIREBREAK_RECORD_MODULES, `${resolved.url}\n`);
  return resolved;
}
