import { readFileSync } from 'node:fs';

/**
 * Node decodes argv as UTF-8 and replaces bytes that are not, so a file named in Latin-1 could not even be opened.
 * On Linux the exact bytes are in /proc/self/cmdline: for each argument that lost bytes, take the matching raw one.
 */
export function rawArguments(args: readonly string[], cmdline = '/proc/self/cmdline'): Array<string | Buffer> {
  if (!args.some((a) => a.includes('\uFFFD'))) return [...args];
  let raw: Buffer[];
  try {
    const all = readFileSync(cmdline);
    raw = [];
    let start = 0;
    for (let i = 0; i < all.length; i += 1) {
      if (all[i] === 0) {
        raw.push(all.subarray(start, i));
        start = i + 1;
      }
    }
    if (start < all.length) raw.push(all.subarray(start));
  } catch {
    return [...args];
  }
  // The arguments given to the program are the last ones of the command line.
  const tail = raw.slice(raw.length - args.length);
  if (tail.length !== args.length) return [...args];
  return args.map((a, i) => {
    const r = tail[i] as Buffer;
    if (!a.includes('\uFFFD') || r.toString('utf8') !== a) return a;
    return Buffer.from(r);
  });
}
