import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AZURE_MEMBERS, azureEvent, isAzureRecord } from '../../../electron/core/cloudtrail/model/azure-adapter';
import { GCP_MEMBERS, gcpEvent, isGcpRecord } from '../../../electron/core/cloudtrail/model/gcp-adapter';
import { JsonMembers, type Member, type Shape, mergeShapes } from '../../../electron/core/cloudtrail/model/json-members';
import { type LogSink, readLogFile } from '../../../electron/core/cloudtrail/model/log-file-reader';
import { WASM_MODULES, compileWasm, moduleText } from '../../../scripts/build-wasm';
import { AZURE_AGENT_APPID, GCP_AGENT, azureRecords, gcpEntries } from '../../helpers/cloud-logs-corpus';
import { prng } from '../../helpers/cloudtrail-corpus';
import { repoRoot } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const REF = resolve(repoRoot, '..', 'shared', 'reference');
const SHAPE = mergeShapes(mergeShapes(AZURE_MEMBERS, GCP_MEMBERS), { records: 'value', value: 'value', entries: 'value', logName: 'repeating', insertId: 'value' });
const dir = tempDir('firebreak-json-members-');
afterAll(() => dir.cleanup());

/** Every record of the recorded Azure and GCP samples, whatever the file's shape (JSON lines, REST page, array). */
function sampleRecords(root: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) return readdirSync(p).forEach((f) => walk(join(p, f)));
    if (!/\.jsonl?$/.test(p)) return;
    const text = readFileSync(p, 'utf8');
    let docs: unknown[];
    try {
      docs = [JSON.parse(text)];
    } catch {
      docs = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
    }
    for (const d of docs) {
      const o = d as Record<string, unknown>;
      const list = Array.isArray(d) ? d : Array.isArray(o.records) ? o.records : Array.isArray(o.value) ? o.value : Array.isArray(o.entries) ? o.entries : [d];
      out.push(...(list as Array<Record<string, unknown>>));
    }
  };
  walk(root);
  return out;
}

/** What the reader's caller does with a record: the same tests and adapters, by either path. */
function mapped(r: Record<string, unknown> | null): unknown {
  if (!r) return 'fallback';
  if (isGcpRecord(r)) return { gcp: gcpEvent(r, 'f', 1) };
  if (isAzureRecord(r)) return { azure: azureEvent(r, 'f', 1) };
  return { other: typeof r.logName === 'string' && 'insertId' in r };
}

const reader = new JsonMembers(SHAPE);
const readLine = (line: string): Record<string, unknown> | null => {
  const buf = Buffer.from(`xx${line}yy`);
  return reader.read(buf, 2, buf.length - 2);
};
/** The byte path gives what JSON.parse gives, or leaves the line to JSON.parse. */
const same = (line: string) => expect(mapped(readLine(line))).toEqual(mapped(JSON.parse(line) as Record<string, unknown>));

const azureSample = azureRecords({ ms: Date.parse('2026-03-10T09:00:00Z'), operation: 'Microsoft.Compute/disks/delete', caller: { appid: AZURE_AGENT_APPID }, correlationId: 'c-1' });
const gcpSample = gcpEntries({ ms: Date.parse('2026-03-10T09:00:00Z'), method: 'v1.compute.instances.delete', service: 'compute.googleapis.com', principal: GCP_AGENT, insertId: 'i-1', longRunning: true, code: 7 });

describe('JSON-lines records read from their bytes', () => {
  it('maps every recorded Azure and GCP sample as JSON.parse does, compact and spread out with whitespace', () => {
    const records = [...sampleRecords(join(REF, 'azure-activity')), ...sampleRecords(join(REF, 'gcp-audit'))];
    expect(records.length).toBeGreaterThan(100);
    for (const r of records) {
      const compact = JSON.stringify(r);
      expect(readLine(compact)).not.toBeNull();
      same(compact);
      // Indented, then put back on one line: spaces and tabs between every token.
      same(JSON.stringify(r, null, '\t').replace(/\n/g, ' '));
    }
  });

  it('reads escapes in values as JSON.parse does, and leaves escaped keys to it', () => {
    const [start] = azureSample;
    same(JSON.stringify({ ...start, caller: 'Jos\u00e9 "the \\ admin"', operationName: 'Microsoft.Compute/disks/delete' }));
    same(JSON.stringify({ ...start, caller: 'Jos\u00e9' }).replace('Jos\u00e9', 'Jos\\u00e9'));
    const escapedKey = JSON.stringify(start).replace('"operationName"', '"operation\\u004eame"');
    expect(readLine(escapedKey)).toBeNull();
    expect(mapped(JSON.parse(escapedKey) as Record<string, unknown>)).toEqual(mapped(start as Record<string, unknown>));
  });

  it('skips nested objects and arrays it does not need, and reads the REST and snake_case shapes', () => {
    const [start] = azureSample;
    same(JSON.stringify({ ...start, properties: { statusCode: 'OK', requestbody: { a: [1, -2.5e3, { b: [true, false, null, '}]"'] }], c: {} }, eventProperties: { eventDataId: 'e-1' } } }));
    same(JSON.stringify({ eventTimestamp: '2026-03-10T09:00:00.1Z', operationName: { value: 'Microsoft.Compute/disks/delete', localizedValue: 'Delete Disk' }, status: { value: 'Failed' }, subStatus: { value: 'Forbidden' }, caller: 'ops@contoso.example', claims: { name: 'Ops' }, resourceId: '/subscriptions/S/x', eventDataId: 'd-1' }));
    same(JSON.stringify({ event_timestamp: '2026-03-10T09:00:00.1Z', operation_name: 'Microsoft.Storage/storageAccounts/delete', result_type: 'Success', caller_ip_address: '10.0.0.1', resource_id: '/subscriptions/S/y', correlation_id: 'c-2', http_request: { clientIpAddress: '10.0.0.2' } }));
  });

  it('reads GCP entries with and without operation, status and delegation', () => {
    for (const e of gcpSample) same(JSON.stringify(e));
    const plain = gcpEntries({ ms: Date.parse('2026-03-10T09:00:00Z'), method: 'storage.buckets.list', service: 'storage.googleapis.com', principal: 'user@example.org', insertId: 'i-2' })[0] as Record<string, unknown>;
    same(JSON.stringify(plain));
    const p = plain.protoPayload as Record<string, unknown>;
    const delegation = [{ firstPartyPrincipal: { principalEmail: 'a@x.iam.gserviceaccount.com' } }, { principalSubject: 'serviceAccount:b@x' }];
    same(JSON.stringify({ ...plain, protoPayload: { ...p, authenticationInfo: { principalEmail: GCP_AGENT, serviceAccountDelegationInfo: delegation } } }));
  });

  it('keeps the last of duplicate keys, as JSON.parse does', () => {
    const line = JSON.stringify(azureSample[1]).replace('{', '{"operationName":"Microsoft.Compute/disks/read","properties":{"statusCode":"X"},');
    expect(readLine(line)?.operationName).toBe('MICROSOFT.COMPUTE/DISKS/DELETE');
    same(line);
    same(JSON.stringify(azureSample[1]).replace(/}$/, ',"operationName":"Microsoft.Compute/disks/read"}'));
  });

  it('reads a line member by member as read() does: values, objects, strings left in the bytes, members named twice', () => {
    const slot = (...names: string[]) => reader.slotOf(...names);
    const [entry] = gcpSample as [Record<string, unknown>];
    const line = JSON.stringify({ ...entry, insertId: 'i-\u00e9"x' }).replace('"timestamp":', '"timestamp" : ');
    const buf = Buffer.from(`xx${line}yy`);
    expect(reader.readSlots(buf, 2, buf.length - 2)).toBe(true);
    expect(reader.objectOf()).toEqual(readLine(line));
    expect(reader.repeatedMember).toBe(false);
    // A string without escapes stays in the bytes until asked for; one with escapes is decoded as JSON.parse would.
    const ts = slot('timestamp');
    expect(reader.rawStart(ts)).toBeGreaterThan(0);
    expect(buf.toString('utf8', reader.rawStart(ts), reader.rawEnd(ts))).toBe(entry.timestamp);
    expect(reader.value(ts)).toBe(entry.timestamp);
    expect(reader.rawStart(slot('insertId'))).toBe(-1);
    expect(reader.value(slot('insertId'))).toBe('i-\u00e9"x');
    expect(reader.opened(slot('protoPayload'))).toBe(true);
    expect(reader.value(slot('protoPayload', 'methodName'))).toBe('v1.compute.instances.delete');
    expect(reader.value(slot('operation', 'first'))).toBe(true);
    expect(reader.has(slot('operation', 'last'))).toBe(false);
    expect(reader.value(slot('operation', 'last'))).toBeUndefined();
    expect(slot('protoPayload', 'nothing')).toBe(-1);
    // Members of the line before are not this line's.
    const bare = '{"insertId":"only"}';
    const b2 = Buffer.from(bare);
    expect(reader.readSlots(b2, 0, b2.length)).toBe(true);
    expect(reader.has(ts)).toBe(false);
    expect(reader.opened(slot('protoPayload'))).toBe(false);
    expect(reader.objectOf()).toEqual({ insertId: 'only' });
    // An object named twice: the record holds the second, and the line says a member was named twice.
    const twice = '{"protoPayload":{"methodName":"a","status":{"code":7}},"protoPayload":{"methodName":"b"}}';
    const b3 = Buffer.from(twice);
    expect(reader.readSlots(b3, 0, b3.length)).toBe(true);
    expect(reader.repeatedMember).toBe(true);
    expect(reader.objectOf()).toEqual(JSON.parse(twice));
    // What read() leaves to JSON.parse, readSlots() refuses.
    const broken = Buffer.from('{"insertId": broken');
    expect(reader.readSlots(broken, 0, broken.length)).toBe(false);
  });

  it('leaves to JSON.parse every line it would refuse or split: truncated, trailing garbage, bad literals, numbers, escapes, control characters, CR', () => {
    const good = JSON.stringify(gcpSample[0]);
    for (const bad of [
      good.slice(0, -1),
      good.slice(0, 200),
      `${good} x`,
      `${good}}`,
      good.replace('"NOTICE"', 'tru'),
      good.replace('"NOTICE"', '01'),
      good.replace('"NOTICE"', '1.'),
      good.replace('"NOTICE"', '-'),
      good.replace('"NOTICE"', '"a\\x"'),
      good.replace('"NOTICE"', '"a\\u12g4"'),
      good.replace('"NOTICE"', '"a\tb"'),
      good.replace('"NOTICE"', '[1,]'),
      good.replace('"NOTICE"', '{"a":1,}'),
      good.replace(',"severity"', ',,"severity"'),
      good.replace(',"severity"', '\r,"severity"'),
      `[${good}]`,
      '',
      '  ',
    ]) {
      expect(readLine(bad), bad.slice(-40)).toBeNull();
    }
    // Accepted where JSON.parse accepts: exponents, negative zero, empty containers, deep values.
    for (const v of ['-0', '1e+3', '2.5E-2', '[]', '{}', '[[[[{"a":[{}]}]]]]', '"\\/\\b\\f\\n\\r\\t"']) same(good.replace('"NOTICE"', v));
  });

  it('names every member the adapters and the record tests read', () => {
    const records = [...sampleRecords(join(REF, 'azure-activity')), ...sampleRecords(join(REF, 'gcp-audit')), ...azureSample, ...gcpSample];
    const missing = new Set<string>();
    const covered = (shape: Shape, path: string[]): boolean => {
      let m: Member | undefined = shape;
      for (const k of path) {
        if (typeof m !== 'object') return true;
        m = m[k];
        if (m === undefined) return false;
      }
      return true;
    };
    // Records whose every read is noted: a member read, or asked for with `in`, must be one the reader keeps.
    const watch = (o: unknown, path: string[]): unknown =>
      o !== null && typeof o === 'object'
        ? new Proxy(o as object, {
            get: (t, k) => {
              if (typeof k !== 'string') return Reflect.get(t, k);
              if (!Array.isArray(t) && !covered(SHAPE, [...path, k])) missing.add([...path, k].join('.'));
              return watch(Reflect.get(t, k), Array.isArray(t) ? path : [...path, k]);
            },
            has: (t, k) => {
              if (typeof k === 'string' && !covered(SHAPE, [...path, k])) missing.add([...path, k].join('.'));
              return Reflect.has(t, k);
            },
          })
        : o;
    for (const r of records) mapped(watch(JSON.parse(JSON.stringify(r)), []) as Record<string, unknown>);
    expect([...missing]).toEqual([]);
  });
});

describe('the WebAssembly walk', () => {
  it('is the module that wasm/json-members.ts compiles to (npm run build:wasm)', async () => {
    for (const m of WASM_MODULES) {
      const committed = readFileSync(join(repoRoot, m.module), 'utf8');
      expect(committed, `${m.module} is stale: run npm run build:wasm`).toBe(moduleText(m.source, m.name, await compileWasm(m.source)));
    }
  }, 60_000);

  it('reads nothing JSON.parse refuses, and what it reads maps as JSON.parse does, over thousands of damaged lines', () => {
    const r = prng(7);
    const bases = [...azureSample, ...gcpSample].flatMap((rec) => [JSON.stringify(rec), JSON.stringify(rec, null, ' ').replace(/\n/g, '')]);
    const bytes = '"\\{}[],: \t0123456789eE.+-tfnulr/\u0001\u001f\u00e9';
    let read = 0;
    let refused = 0;
    for (let n = 0; n < 6000; n++) {
      const base = bases[n % bases.length] as string;
      let line = base;
      for (let k = 1 + Math.floor(r() * 2); k > 0; k--) {
        const at = Math.floor(r() * line.length);
        const c = bytes[Math.floor(r() * bytes.length)] as string;
        const op = r();
        line = op < 0.4 ? line.slice(0, at) + c + line.slice(at + 1) : op < 0.7 ? line.slice(0, at) + c + line.slice(at) : line.slice(0, at) + line.slice(at + 1);
      }
      let parsed: Record<string, unknown> | undefined;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        parsed = undefined;
      }
      const got = readLine(line);
      if (!parsed || typeof parsed !== 'object') {
        expect(got, line).toBeNull();
        refused++;
      } else if (got) {
        expect(mapped(got), line).toEqual(mapped(parsed));
        read++;
      }
    }
    // Both sides were exercised: damage JSON.parse refuses, and damage it accepts (spaces, digits in strings...).
    expect(refused).toBeGreaterThan(1000);
    expect(read).toBeGreaterThan(1000);
  });

  it('reads lines from a loaded buffer and copied one at a time alike, lines longer than its memory, and leaves huge ones', () => {
    const lines = [...azureSample, ...gcpSample].map((rec) => JSON.stringify(rec));
    const buf = Buffer.from(lines.join('\n'));
    const own = new JsonMembers(SHAPE);
    own.load(buf);
    let s = 0;
    const fromLoaded = lines.map((l) => {
      const e = s + Buffer.byteLength(l);
      const got = own.read(buf, s, e);
      s = e + 1;
      return got;
    });
    expect(fromLoaded.map(mapped)).toEqual(lines.map((l) => mapped(JSON.parse(l) as Record<string, unknown>)));
    // Another buffer read in between takes the loaded one's place: the loaded one is then copied line by line.
    expect(mapped(own.read(Buffer.from(lines[1] as string), 0, Buffer.byteLength(lines[1] as string)))).toEqual(mapped(JSON.parse(lines[1] as string) as Record<string, unknown>));
    expect(mapped(own.read(buf, 0, Buffer.byteLength(lines[0] as string)))).toEqual(mapped(JSON.parse(lines[0] as string) as Record<string, unknown>));
    // 2 MiB of a member it skips: the walk's memory grows for it.
    const long = JSON.stringify({ ...(azureSample[0] as object), properties: { statusCode: 'OK', requestbody: 'x'.repeat(2 << 20) } });
    expect(readLine(long)).not.toBeNull();
    same(long);
    // Over 4 MiB: JSON.parse reads it (the walk's memory is not grown for it).
    const huge = JSON.stringify({ ...(azureSample[0] as object), properties: { requestbody: 'x'.repeat(5 << 20) } });
    expect(readLine(huge)).toBeNull();
  });

  it('keeps the values of a line right when remembering a new one in it forgets the others', () => {
    const own = new JsonMembers({ a: 'repeating', b: 'repeating', c: 'repeating' });
    // Each line brings a new 15 kB value of a, so the 1 MiB store fills every 70 lines or so, in the middle of a line
    // whose b and c were remembered before.
    for (let i = 0; i < 300; i++) {
      const line = JSON.stringify({ c: `c${i % 2}`, a: `${i}`.padEnd(15_000, 'a'), b: `b${i % 3}` });
      const buf = Buffer.from(line);
      expect(own.read(buf, 0, buf.length), `line ${i + 1}`).toEqual(JSON.parse(line));
    }
    // A value too large to remember is read whole every time, and forgets nothing.
    const huge = JSON.stringify({ b: 'b1', a: 'h'.repeat(2 << 20) });
    for (let i = 0; i < 3; i++) expect(own.read(Buffer.from(huge), 0, Buffer.byteLength(huge))).toEqual(JSON.parse(huge));
    expect(() => new JsonMembers({ __proto__: 'value' } as unknown as Shape)).not.toThrow();
    expect(() => new JsonMembers(JSON.parse('{"__proto__":"value"}') as Shape)).toThrow(/cannot name "__proto__"/);
  });

  it('recognises a remembered value by its bytes and still checks the rest of the line as JSON.parse would', () => {
    const own = new JsonMembers({ m: 'repeating', n: 'value' });
    const read = (line: string) => {
      const buf = Buffer.from(line);
      return own.read(buf, 0, buf.length);
    };
    expect(read('{"m":{"x":[1,"a\\"b"]},"n":1}')).toEqual({ m: { x: [1, 'a"b'] }, n: 1 });
    // The same bytes again: recalled (the very same object), whatever follows them.
    const first = read('{"m":{"x":[1,"a\\"b"]}}');
    expect(first).toEqual({ m: { x: [1, 'a"b'] } });
    expect(read('{"m":{"x":[1,"a\\"b"]} , "n" : 2 }')?.m).toBe(first?.m);
    for (const bad of ['{"m":{"x":[1,"a\\"b"]}x}', '{"m":{"x":[1,"a\\"b"]},"n":tru}', '{"m":{"x":[1,"a\\"b"]}', '{"m":{"x":[1,"a\\"b"]},}']) {
      expect(() => JSON.parse(bad)).toThrow();
      expect(read(bad), bad).toBeNull();
    }
    // Bytes that begin like the remembered value but are another one are read and checked as new.
    expect(read('{"m":{"x":[1,"a\\"b"],"y":2}}')).toEqual({ m: { x: [1, 'a"b'], y: 2 } });
    expect(read('{"m":{"x":[1,"a\\"b"]')).toBeNull();
  });

  it('rests a repeating member whose values do not repeat, reads it as a plain value meanwhile, and tries it again later', () => {
    const own = new JsonMembers({ a: 'repeating', b: 'repeating', n: { c: 'repeating' } });
    const read = (line: string) => {
      const buf = Buffer.from(line);
      expect(own.read(buf, 0, buf.length), line).toEqual(JSON.parse(line));
    };
    // a is new on every line (an IP, a resource name), b and c take three values.
    for (let i = 0; i < 600; i++) read(JSON.stringify({ a: `10.0.${i >> 8}.${i & 255}`, b: `b${i % 3}`, n: { c: [i % 3] } }));
    expect([own.remembering('a'), own.remembering('b'), own.remembering('c')]).toEqual([false, true, true]);
    // At rest, a is read whole on every line, its remembered values and the others' untouched.
    for (let i = 0; i < 40_000; i++) read(JSON.stringify({ b: `b${i % 3}`, a: i < 20_000 ? `a${i}` : `a${i % 2}`, n: { c: [i % 3] } }));
    // Tried again once its rest was over, it repeats now and stays remembered.
    expect([own.remembering('a'), own.remembering('b'), own.remembering('c')]).toEqual([true, true, true]);
  });

  it('forgets its remembered values when their store fills, and reads on as JSON.parse does', () => {
    const own = new JsonMembers(SHAPE);
    const lines = Array.from({ length: 1200 }, (_, i) =>
      JSON.stringify({ ...(azureSample[0] as object), claims: { appid: `app-${i}`, note: `${i}`.padEnd(2000, '.') }, caller: `caller-${i % 40}` }),
    );
    // Twice over, so the second pass recalls what is still remembered and remembers again what was forgotten.
    for (const line of [...lines, ...lines]) {
      const buf = Buffer.from(line);
      const got = own.read(buf, 0, buf.length);
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(got?.claims).toEqual(parsed.claims);
      expect(got?.caller).toBe(parsed.caller);
    }
  });
});

describe('readLogFile over JSON lines, by bytes and by JSON.parse', () => {
  const collect = async (path: string, membersOnly: boolean) => {
    const events: unknown[] = [];
    const sink: LogSink = {
      membersOnly,
      aws: () => events.push('aws'),
      azure: (r, _f, position) => events.push({ position, ...mapped(r as Record<string, unknown>) as object }),
      gcp: (r, _f, position) => events.push({ position, ...mapped(r as Record<string, unknown>) as object }),
    };
    const result = await readLogFile(path, sink);
    return { result, events };
  };

  it('gives the same records and the same report of bad lines (invalid JSON, CRLF, blank lines)', async () => {
    const lines = [
      ...azureSample.map((r) => JSON.stringify(r)),
      '{"time":"2026-03-10T09:00:00Z","operationName":"x",',
      '',
      `${JSON.stringify(azureSample[0])}\r`,
      `${JSON.stringify(azureSample[1])} trailing`,
      `${JSON.stringify({ ...azureSample[0], time: 'not a time' })}\r${JSON.stringify(azureSample[1])}`,
      JSON.stringify({ records: azureSample }),
      JSON.stringify({ neither: true }),
    ];
    const path = join(dir.path, 'mixed.jsonl');
    writeFileSync(path, lines.join('\n'));
    const bytes = await collect(path, true);
    const parsed = await collect(path, false);
    expect(bytes).toEqual(parsed);
    expect(bytes.result.reason).toMatch(/^3 records skipped: line 3 is not valid JSON \(/);
    expect(bytes.events.length).toBe(7);
  });

  it('gives the same records when lines run across the chunks read, one of them across several', async () => {
    const lines: string[] = [];
    for (let i = 0; lines.join('\n').length < 3 << 20; i++) {
      const rec = { ...(azureSample[i % azureSample.length] as object), correlationId: `c-${i}`, eventDataId: `d-${i}` };
      lines.push(JSON.stringify(i === 500 ? { ...rec, properties: { statusCode: 'OK', requestbody: 'y'.repeat(3 << 19) } } : rec));
    }
    const path = join(dir.path, 'long.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const bytes = await collect(path, true);
    expect(bytes).toEqual(await collect(path, false));
    expect(bytes.events.length).toBe(lines.length);
  });
});
