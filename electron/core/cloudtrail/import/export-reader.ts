import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { FileStatus } from '../../../shared/cloudtrail';
import { plural } from '../../../shared/plural';
import { isoTimeSec } from './normalize';
import { F, RecordView } from './record-view';
import { type RecordContainer, RecordSplitter, SplitError } from './splitter';

export interface ReadLimits {
  /** Inflated bytes allowed per compressed byte before a file counts as a gzip bomb. */
  maxRatio: number;
  /** The ratio is only enforced past this many inflated bytes (small files compress well too). */
  ratioFloorBytes: number;
  /** Inflated bytes allowed per file whatever the ratio. */
  maxInflatedBytes: number;
  maxRecordBytes: number;
}

/**
 * CloudTrail's own files inflate about 10-20x. A deflate stream cannot exceed ~1032x, so a ratio of 200x past 64 MiB
 * is a bomb (or not a log), and reading stops long before it fills memory or time.
 */
export const DEFAULT_LIMITS: ReadLimits = {
  maxRatio: 200,
  ratioFloorBytes: 64 * 1024 * 1024,
  maxInflatedBytes: 64 * 1024 * 1024 * 1024,
  maxRecordBytes: 16 * 1024 * 1024,
};

/** The only eventVersion major this code knows (1.11 is current; minors are additive). */
export const SUPPORTED_MAJOR = '1';

export interface FileReadResult {
  path: string;
  status: FileStatus;
  records: number;
  reason: string | null;
  container: RecordContainer | null;
  gzip: boolean;
  compressedBytes: number;
  inflatedBytes: number;
  eventVersions: Record<string, number>;
  /** Records refused for want of a valid eventTime: how many, and the positions (1-based) of the first ones. */
  refusedNoTime: { count: number; positions: number[] };
}

/** How many refused positions a file result lists (the count is always complete). */
const MAX_POSITIONS = 20;


/**
 * Seconds since the epoch of a record's time, or null when it has none worth believing: absent, empty, not an ISO 8601
 * date-time ("yesterday") or not a real date. Such a record is refused rather than placed at 1970-01-01, where it
 * would make a burst out of nothing.
 */
export function validTimeSec(view: RecordView): number | null {
  const fast = view.timeSec(F.EventTime);
  if (fast !== null) return fast > 0 ? fast : null;
  return isoTimeSec(view.str(F.EventTime));
}


export interface ReadOptions {
  limits?: Partial<ReadLimits>;
  signal?: AbortSignal;
  /** Compressed bytes read so far (for progress). */
  onBytes?: (bytes: number) => void;
}

/** Receives each record as a view over its bytes; the view is reused for the next record, so do not keep it. */
export type RecordHandler = (record: RecordView) => void;

/** A view over a record given as text (the CloudTrailEvent string of a LookupEvents result). */
export function viewOfText(text: string, view: RecordView = new RecordView()): RecordView {
  let found = false;
  const splitter = new RecordSplitter((buf, s, e, _c, tokens, n) => {
    view.reset(buf, s, e, tokens, n);
    found = true;
  });
  splitter.push(Buffer.from(`[${text}]`, 'utf8'));
  splitter.end();
  if (!found) throw new SplitError('the event is empty', 0);
  return view;
}

class StopRead extends Error {}

const zlibReason = (e: NodeJS.ErrnoException): string => {
  if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)) return 'truncated gzip: the compressed stream ends early';
  if (e.code === 'Z_DATA_ERROR') return `corrupt gzip data (${e.message})`;
  return `cannot decompress (${e.message})`;
};

const fsReason = (e: NodeJS.ErrnoException): string =>
  e.code === 'ENOENT'
    ? 'no such file'
    : e.code === 'EACCES' || e.code === 'EPERM'
      ? 'permission denied'
      : e.code === 'EISDIR'
        ? 'is a directory'
        : `cannot be read (${e.code ?? e.message})`;

/** The result of a file nothing was read from yet; `failed` with a reason when it could not be read at all. */
export function emptyReadResult(path: string, failure: string | null = null): FileReadResult {
  return {
    path,
    status: failure === null ? 'ok' : 'failed',
    records: 0,
    reason: failure,
    container: null,
    gzip: false,
    compressedBytes: 0,
    inflatedBytes: 0,
    eventVersions: {},
    refusedNoTime: { count: 0, positions: [] },
  };
}

/**
 * Streams one export file (.json or .json.gz, recognised by content, not name) and hands each record to onRecord.
 * Never throws for bad input: the result says what was wrong, and the records read before a problem are kept
 * ('partial'), because in an investigation a truncated log is still evidence.
 */
export async function readExportFile(path: string, onRecord: RecordHandler, options: ReadOptions = {}): Promise<FileReadResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const result = emptyReadResult(path);
  const fail = (reason: string): FileReadResult => {
    result.status = result.records > 0 ? 'partial' : 'failed';
    result.reason = result.records > 0 ? `${reason} (after ${result.records} records)` : reason;
    return result;
  };

  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) return fail('not a regular file');
    size = st.size;
    result.compressedBytes = size;
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await fh.read(head, 0, 2, 0);
      result.gzip = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    } finally {
      await fh.close();
    }
  } catch (e) {
    return fail(fsReason(e as NodeJS.ErrnoException));
  }
  if (size === 0) return fail('empty file');

  const unsupported: Record<string, number> = {};
  let badRecords = 0;
  let firstBad: string | null = null;
  const view = new RecordView();
  let lastVersion: string | null = null;
  let lastSupported = true;
  const splitter = new RecordSplitter((buf, start, end, container, tokens, count) => {
    try {
      if (container === 'Events') {
        const outer = JSON.parse(buf.toString('utf8', start, end)) as { CloudTrailEvent?: unknown };
        if (typeof outer.CloudTrailEvent !== 'string') throw new SyntaxError('it has no CloudTrailEvent string');
        viewOfText(outer.CloudTrailEvent, view);
      } else view.reset(buf, start, end, tokens, count);
    } catch (e) {
      badRecords++;
      firstBad ??= `record ${splitter.elements} is not valid JSON (${(e as Error).message})`;
      return;
    }
    // A record the analysis cannot place in time or name is not a CloudTrail record.
    if (!view.has(F.EventTime) && !view.has(F.EventName)) {
      badRecords++;
      firstBad ??= `record ${splitter.elements} has no eventTime or eventName (not a CloudTrail record)`;
      return;
    }
    if (validTimeSec(view) === null) {
      const refused = result.refusedNoTime;
      refused.count++;
      if (refused.positions.length < MAX_POSITIONS) refused.positions.push(splitter.elements);
      return;
    }
    const v = view.str(F.EventVersion) ?? '(none)';
    result.eventVersions[v] = (result.eventVersions[v] ?? 0) + 1;
    // The view hands a repeating version back as the same string: it is judged once.
    if (v !== lastVersion) {
      lastVersion = v;
      lastSupported = v === '(none)' || v.split('.')[0] === SUPPORTED_MAJOR;
    }
    if (!lastSupported) {
      unsupported[v] = (unsupported[v] ?? 0) + 1;
      return;
    }
    result.records++;
    onRecord(view);
  }, limits.maxRecordBytes);

  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const gunzip = result.gzip ? createGunzip({ chunkSize: 1 << 18 }) : null;
  const stream = gunzip ? source.pipe(gunzip) : source;
  if (gunzip) source.on('error', (e) => gunzip.destroy(e));
  const onAbort = () => stream.destroy(new StopRead('cancelled'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let problem: string | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      result.inflatedBytes += chunk.length;
      if (
        gunzip &&
        (result.inflatedBytes > limits.maxInflatedBytes ||
          (result.inflatedBytes > limits.ratioFloorBytes && result.inflatedBytes > size * limits.maxRatio))
      ) {
        problem =
          `gzip bomb: ${Math.round(size / 1024)} KiB inflated past ${Math.round(result.inflatedBytes / 1048576)} MiB ` +
          `(over ${limits.maxRatio}:1); reading stopped`;
        break;
      }
      splitter.push(chunk);
      options.onBytes?.(source.bytesRead);
    }
    if (!problem) splitter.end();
  } catch (e) {
    if (options.signal?.aborted) throw new StopRead('cancelled');
    if (e instanceof SplitError) problem = `${e.message} (at byte ${e.offset}${gunzip ? ' of the uncompressed data' : ''})`;
    else if ((e as NodeJS.ErrnoException).code?.startsWith('Z_') || /unexpected end of file|incorrect header/i.test((e as Error).message)) {
      problem = zlibReason(e as NodeJS.ErrnoException);
    } else if ((e as NodeJS.ErrnoException).code) problem = fsReason(e as NodeJS.ErrnoException);
    else throw e;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    source.destroy();
    gunzip?.destroy();
  }
  result.container = splitter.found;
  if (problem) return fail(problem);

  const skipped = Object.entries(unsupported);
  const notes: string[] = [];
  if (skipped.length) {
    const n = skipped.reduce((a, [, c]) => a + c, 0);
    notes.push(`${plural(n, 'record')} with unsupported eventVersion ${skipped.map(([v]) => v).join(', ')} skipped (this version reads ${SUPPORTED_MAJOR}.x)`);
  }
  if (badRecords) notes.push(`${plural(badRecords, 'record')} skipped: ${firstBad}`);
  const refused = result.refusedNoTime;
  if (refused.count) {
    const more = refused.count > refused.positions.length ? ', ...' : '';
    notes.push(`${refused.count} record${refused.count === 1 ? '' : 's'} refused for want of a valid eventTime (record${refused.count === 1 ? '' : 's'} ${refused.positions.join(', ')}${more})`);
  }
  if (notes.length) {
    result.status = result.records > 0 ? 'partial' : 'failed';
    result.reason = notes.join('; ');
  }
  return result;
}

export const isCancelled = (e: unknown): boolean => e instanceof StopRead;
