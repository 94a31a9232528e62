import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { CloudName } from '../../../shared/cloudlogs';
import { isCancelled, readExportFile } from '../import/export-reader';
import type { RecordView } from '../import/record-view';
import { AZURE_MEMBERS, type AzureSlots, azureSlotsOf, isAzureLine, isAzureRecord } from './azure-adapter';
import { GCP_MEMBERS, isGcpRecord } from './gcp-adapter';
import { JsonMembers, mergeShapes } from './json-members';

/** Where each record goes: CloudTrail records as byte views (the fast reader), Azure and GCP records parsed. */
export interface LogSink {
  /**
   * Set when the sink only maps Azure and GCP records through the adapters and keeps nothing else of them: JSON lines
   * then reach it holding only the members the adapters read (read from the bytes, far cheaper than JSON.parse).
   */
  readonly membersOnly?: boolean;
  aws(view: RecordView, file: string): void;
  azure(record: Record<string, unknown>, file: string, position: number): void;
  gcp(record: Record<string, unknown>, file: string, position: number): void;
  /**
   * gcp() for a Cloud Audit Logs entry given as its line's members (membersOnly sinks): the entry is the one read()
   * would make of the line. False, having done nothing, when the sink needs the record itself: it is then given to gcp().
   */
  gcpLine?(line: JsonMembers, position: number): boolean;
  /** azure() for an Activity Log record given as its line's members, as gcpLine() for GCP. */
  azureLine?(line: JsonMembers, position: number): boolean;
}

export interface LogFileResult {
  path: string;
  cloud: CloudName | null;
  status: 'ok' | 'partial' | 'failed';
  records: number;
  reason: string | null;
  refusedNoTime: { count: number; positions: number[] };
}

/** A whole JSON document (REST page, gcloud array) is parsed at once; past this size only JSON lines are read. */
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;
const HEAD_BYTES = 64 * 1024;

/** The members the adapters and the record tests below read; the container keys lead a whole document to its list. */
const LINE_MEMBERS = mergeShapes(mergeShapes(AZURE_MEMBERS, GCP_MEMBERS), { records: 'value', value: 'value', entries: 'value', logName: 'repeating', insertId: 'value' });
let lineReader: JsonMembers | null = null;
/** The thread's line reader, made on first use (its WebAssembly and memory are not every command's). */
const lineReaderHere = (): JsonMembers => (lineReader ??= new JsonMembers(LINE_MEMBERS));
/** The line reader's slots of the members recordKind() reads, worked out on first use. */
let lineSlots: { records: number; value: number; entries: number; logName: number; protoPayload: number; methodName: number; azure: AzureSlots } | null = null;

/**
 * What record() would take the line last read member by member for: a Cloud Audit Logs entry (isGcpRecord), an
 * Activity Log record (isAzureRecord), or null for anything else and for the lines that are not one plain record: a
 * container member (records, value, entries: container() reads those) or a member named twice.
 */
function recordKind(line: JsonMembers): 'gcp' | 'azure' | null {
  const s = (lineSlots ??= {
    records: line.slotOf('records'),
    value: line.slotOf('value'),
    entries: line.slotOf('entries'),
    logName: line.slotOf('logName'),
    protoPayload: line.slotOf('protoPayload'),
    methodName: line.slotOf('protoPayload', 'methodName'),
    azure: azureSlotsOf(line),
  });
  if (line.repeatedMember || line.has(s.records) || line.has(s.value) || line.has(s.entries)) return null;
  if (line.opened(s.protoPayload) && line.has(s.methodName)) return 'gcp';
  const logName = line.value(s.logName);
  if (typeof logName === 'string' && logName.includes('cloudaudit.googleapis.com')) return 'gcp';
  return isAzureLine(line, s.azure) ? 'azure' : null;
}

async function head(path: string): Promise<{ gzip: boolean; text: string }> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    const gzip = bytesRead >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
    if (!gzip) return { gzip, text: buf.toString('utf8', 0, bytesRead) };
    const inflated = await new Promise<string>((done) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const z = createGunzip();
      z.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= HEAD_BYTES) z.destroy();
      });
      z.on('close', () => done(Buffer.concat(chunks).toString('utf8')));
      z.on('error', () => done(Buffer.concat(chunks).toString('utf8')));
      z.end(buf.subarray(0, bytesRead));
    });
    return { gzip, text: inflated };
  } finally {
    await fh.close();
  }
}

/** CloudTrail by its container or its fields; Azure and GCP are told apart per record. */
const looksLikeCloudTrail = (text: string): boolean =>
  /^\s*\{\s*"(Records|Events)"\s*:/.test(text) || (/"eventSource"\s*:/.test(text) && /"eventName"\s*:/.test(text) && !/"protoPayload"\s*:|"operationName"\s*:/.test(text));

/**
 * The records of one Azure or GCP file, fed chunk by chunk as inflated: lines split in the bytes, each line read member
 * by member where the sink takes it so, otherwise parsed; a file that is one JSON document is gathered and parsed at
 * the end. One object a file, its methods shared by every file a thread reads: the hot loop is compiled once per
 * thread, where closures made per file were compiled again for each (a loop's optimised code is tied to its closures).
 */
class LogLines {
  position = 0;
  bad = 0;
  nonAudit = 0;
  firstBad: string | null = null;
  sawGcp = false;
  sawAzure = false;
  mode: 'lines' | 'document' | null = null;
  documentText: string[] = [];
  documentBytes = 0;
  line = 0;
  /** The bytes after the last newline; kept as a list so a long line across many chunks is joined once. */
  carry: Buffer[] = [];

  constructor(
    readonly path: string,
    readonly sink: LogSink,
    readonly result: LogFileResult,
  ) {}

  record(v: unknown): void {
    this.position++;
    const r = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    if (r && isGcpRecord(r)) {
      this.sawGcp = true;
      this.result.records++;
      this.sink.gcp(r, this.path, this.position);
    } else if (r && isAzureRecord(r)) {
      this.sawAzure = true;
      this.result.records++;
      this.sink.azure(r, this.path, this.position);
    } else if (r && typeof r.logName === 'string' && 'insertId' in r) {
      // A GCP log entry of another log (an application's own lines): not an audit record, and not a fault of the file.
      this.sawGcp = true;
      this.nonAudit++;
    } else {
      this.bad++;
      this.firstBad ??= `record ${this.position} is neither an Azure Activity Log record nor a GCP audit LogEntry`;
    }
  }

  container(doc: unknown): void {
    if (Array.isArray(doc)) for (const r of doc) this.record(r);
    else if (doc !== null && typeof doc === 'object') {
      const o = doc as Record<string, unknown>;
      const list = Array.isArray(o.records) ? o.records : Array.isArray(o.value) ? o.value : Array.isArray(o.entries) ? o.entries : null;
      if (list) for (const r of list) this.record(r);
      else this.record(o);
    } else this.record(doc);
  }

  /** One line of text; a reason when reading must stop. */
  onLine(text: string): string | null {
    this.line++;
    if (this.mode === 'document') {
      this.documentBytes += text.length + 1;
      if (this.documentBytes > MAX_DOCUMENT_BYTES) return `a single JSON document over ${MAX_DOCUMENT_BYTES / 1048576} MiB: export it as JSON lines`;
      this.documentText.push(text);
      return null;
    }
    if (text.trim() === '') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      if (this.mode === null) {
        this.mode = 'document';
        this.documentText.push(text);
        this.documentBytes = text.length;
        return null;
      }
      this.bad++;
      this.firstBad ??= `line ${this.line} is not valid JSON (${(e as Error).message})`;
      return null;
    }
    this.mode = 'lines';
    this.container(parsed);
    return null;
  }

  /** Lines as readline splits them (LF, CRLF or a lone CR), found in the bytes: no string is made but the lines'. */
  onBytes(buf: Buffer, start: number, end: number): string | null {
    let e = end;
    if (e > start && buf[e - 1] === 0x0d) e--;
    const sink = this.sink;
    if (sink.membersOnly && this.mode !== 'document') {
      // The line as JSON.parse would read it, or false: then onLine parses it (and reports it when it is not JSON).
      const reader = lineReaderHere();
      if (reader.readSlots(buf, start, e)) {
        this.line++;
        this.mode = 'lines';
        // An audit record goes to the sink as its members when the sink takes it so; anything else as its record.
        const kind = sink.gcpLine || sink.azureLine ? recordKind(reader) : null;
        if (kind === 'gcp' && sink.gcpLine?.(reader, this.position + 1)) {
          this.position++;
          this.sawGcp = true;
          this.result.records++;
        } else if (kind === 'azure' && sink.azureLine?.(reader, this.position + 1)) {
          this.position++;
          this.sawAzure = true;
          this.result.records++;
        } else this.container(reader.objectOf());
        return null;
      }
    }
    const text = buf.toString('utf8', start, e);
    if (text.indexOf('\r') < 0) return this.onLine(text);
    for (const part of text.split('\r')) {
      const stop = this.onLine(part);
      if (stop) return stop;
    }
    return null;
  }

  /** The lines a chunk ends, the one begun in earlier chunks first; a reason when reading must stop. */
  chunk(chunk: Buffer): string | null {
    let nl = chunk.indexOf(0x0a);
    if (nl < 0) {
      this.carry.push(chunk);
      return null;
    }
    let s = 0;
    if (this.carry.length) {
      // Only the line begun in an earlier chunk is joined; the chunk itself is read where it lies.
      this.carry.push(chunk.subarray(0, nl));
      const joined = Buffer.concat(this.carry);
      this.carry = [];
      const stop = this.onBytes(joined, 0, joined.length);
      if (stop) return stop;
      s = nl + 1;
      nl = chunk.indexOf(0x0a, s);
    }
    if (this.sink.membersOnly && this.mode !== 'document') lineReaderHere().load(chunk);
    for (; nl >= 0; nl = chunk.indexOf(0x0a, s)) {
      const stop = this.onBytes(chunk, s, nl);
      if (stop) return stop;
      s = nl + 1;
    }
    if (s < chunk.length) this.carry.push(chunk.subarray(s));
    return null;
  }

  /** The last line (one with no newline after it) and a whole document; a reason when the file is not readable. */
  end(): string | null {
    if (this.carry.length) {
      const rest = Buffer.concat(this.carry);
      this.carry = [];
      const stop = this.onBytes(rest, 0, rest.length);
      if (stop) return stop;
    }
    if (this.mode === 'document') {
      let doc: unknown;
      try {
        doc = JSON.parse(this.documentText.join('\n'));
      } catch (e) {
        return `not valid JSON or JSON lines (${(e as Error).message})`;
      }
      this.documentText = [];
      this.container(doc);
    }
    return null;
  }

  /** The file's result once every line is read: its cloud, and what was left aside or skipped. */
  finish(): LogFileResult {
    const result = this.result;
    // A file of both clouds' records is named after GCP's (it cannot be a storage export of either).
    result.cloud = this.sawGcp ? 'gcp' : this.sawAzure ? 'azure' : null;
    const notes: string[] = [];
    if (this.nonAudit) notes.push(`${this.nonAudit} log entr${this.nonAudit === 1 ? 'y' : 'ies'} of other logs than Cloud Audit Logs left aside`);
    if (this.bad) {
      result.status = result.records > 0 ? 'partial' : 'failed';
      notes.push(`${this.bad} record${this.bad === 1 ? '' : 's'} skipped: ${this.firstBad}`);
    }
    if (notes.length) result.reason = notes.join('; ');
    return result;
  }
}

/**
 * Reads one audit-log file of any of the three clouds (.json or .gz by content): CloudTrail exports through the fast
 * CloudTrail reader; Azure Activity Log (storage JSON lines, Event Hub `{"records"}`, REST `value[]` or a bare array)
 * and GCP Cloud Audit Logs (LogEntry JSON lines, gcloud arrays, `entries[]`) record by record. Never throws for bad input.
 */
export async function readLogFile(path: string, sink: LogSink, signal?: AbortSignal): Promise<LogFileResult> {
  const result: LogFileResult = { path, cloud: null, status: 'ok', records: 0, reason: null, refusedNoTime: { count: 0, positions: [] } };
  const fail = (reason: string): LogFileResult => ({ ...result, status: result.records > 0 ? 'partial' : 'failed', reason });
  let first: { gzip: boolean; text: string };
  try {
    const st = await stat(path);
    if (!st.isFile()) return fail('not a regular file');
    if (st.size === 0) return fail('empty file');
    first = await head(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? (e as Error).message})`);
  }
  if (looksLikeCloudTrail(first.text)) {
    const r = await readExportFile(path, (v) => sink.aws(v, path), signal ? { signal } : {});
    return { path, cloud: 'aws', status: r.status === 'skipped' ? 'failed' : r.status, records: r.records, reason: r.reason, refusedNoTime: r.refusedNoTime };
  }

  const lines = new LogLines(path, sink, result);
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = first.gzip ? source.pipe(createGunzip({ chunkSize: 1 << 18 })) : source;
  source.on('error', (e) => stream.destroy(e));
  const onAbort = () => stream.destroy(new Error('cancelled'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const stop = lines.chunk(chunk);
      if (stop) return fail(stop);
    }
    const stop = lines.end();
    if (stop) return fail(stop);
  } catch (e) {
    if (signal?.aborted) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code?.startsWith('Z_') ? `corrupt or truncated gzip (${(e as Error).message})` : `cannot be read (${(e as Error).message})`);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    source.destroy();
  }
  return lines.finish();
}

export { isCancelled };
