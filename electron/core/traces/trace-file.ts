import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { LangSmithRuns } from './langsmith-reader';
import { readOtlpRequest } from './otlp-reader';
import { type RawStep, TraceInputError, record } from './raw-step';

/** Trace exports are read whole; past this size the user is told to split them rather than run out of memory. */
const MAX_TRACE_BYTES = 256 * 1024 * 1024;

const isLangSmith = (v: unknown): boolean => {
  const o = record(v);
  if (Array.isArray(v)) return v.length === 0 || isLangSmith(v[0]);
  return !!o && (Array.isArray(o.post) || Array.isArray(o.patch) || 'run_type' in o || 'dotted_order' in o);
};

export interface TraceFileResult {
  format: 'otlp' | 'langsmith';
  records: number;
  steps: RawStep[];
}

/**
 * One trace file: OTLP JSON (one export request, or one per line as the file exporter and collectors write them) or
 * LangSmith runs (SDK batches, exported runs, JSON lines), gzip or plain. Throws TraceInputError naming the line.
 */
export async function readTraceFile(file: string): Promise<TraceFileResult> {
  let bytes: Buffer;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new TraceInputError(file, 'file', 'not a regular file');
    if (st.size > MAX_TRACE_BYTES) throw new TraceInputError(file, 'file', `over ${MAX_TRACE_BYTES / 1048576} MiB: split the export`);
    bytes = await readFile(file);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  } catch (e) {
    if (e instanceof TraceInputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new TraceInputError(file, 'file', code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot be read (${(e as Error).message})`);
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new TraceInputError(file, 'file', 'empty file');
  let documents: { doc: unknown; line: number }[];
  try {
    documents = [{ doc: JSON.parse(text), line: 1 }];
  } catch {
    documents = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        documents.push({ doc: JSON.parse(line), line: i + 1 });
      } catch (e) {
        throw new TraceInputError(file, `line ${i + 1}`, `not valid JSON (${(e as Error).message}); a trace file is one JSON document or JSON lines`);
      }
    });
  }
  const first = documents[0]?.doc;
  if (record(first) && 'resourceSpans' in (first as Record<string, unknown>)) {
    const steps: RawStep[] = [];
    for (const { doc, line } of documents) {
      const o = record(doc);
      if (!o || !('resourceSpans' in o)) throw new TraceInputError(file, `line ${line}`, 'not an OTLP export request (no resourceSpans) in a file of OTLP requests');
      for (const s of readOtlpRequest(o, file, line)) steps.push(s);
    }
    return { format: 'otlp', records: steps.length, steps };
  }
  if (isLangSmith(first)) {
    const runs = new LangSmithRuns();
    for (const { doc, line } of documents) {
      if (!isLangSmith(doc)) throw new TraceInputError(file, `line ${line}`, 'not a LangSmith run or batch in a file of LangSmith runs');
      runs.add(doc, file, `line ${line}`, line);
    }
    const steps = runs.steps();
    return { format: 'langsmith', records: steps.length, steps };
  }
  throw new TraceInputError(file, `line ${documents[0]?.line ?? 1}`, 'neither OTLP JSON (resourceSpans) nor LangSmith runs (run_type, or post/patch batches)');
}
