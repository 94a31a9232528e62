import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../electron/core/evidence/secret-scan';
import { destructiveBecause } from '../../../electron/core/traces/destructive';
import { readTraceFile } from '../../../electron/core/traces/trace-file';
import { otlpScenario } from '../../helpers/agent-scenario';
import { repoRoot } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const REF = resolve(repoRoot, '..', 'shared', 'reference', 'agent-traces', 'langsmith-sdk');
const dir = tempDir('firebreak-trace-readers-');
afterAll(() => dir.cleanup());
const write = (name: string, text: string) => {
  const p = join(dir.path, name);
  writeFileSync(p, text);
  return p;
};

describe('LangSmith runs recorded by the real SDKs', () => {
  it.each([
    ['js/src/tests/test_data/langsmith_js_wrap_openai_default.json', 'dc34609e-3eeb-459d-bc2a-6fedb01d2e6e', '2024-10-13T07:05:37.170Z'],
    ['python/tests/integration_tests/test_data/langsmith_py_wrap_openai_.json', 'd0d84d31-923d-4cb5-94a8-40a0a0087578', '2024-10-11T20:58:23.298Z'],
  ])('%s: the post and its patch make one finished model turn with its words', async (file, id, start) => {
    const r = await readTraceFile(join(REF, file));
    expect(r.format).toBe('langsmith');
    expect(r.steps).toHaveLength(1);
    const [s] = r.steps;
    expect(s).toEqual(expect.objectContaining({ id, traceId: id, parentId: null, kind: 'model', name: 'ChatOpenAI', text: 'Howdy! How can I assist you today?' }));
    expect(new Date(s?.startMs ?? 0).toISOString()).toBe(start);
    // The JS SDK's patch names its run only by dotted_order: it must still complete the run.
    expect(s?.endMs).toBeGreaterThan(s?.startMs ?? Infinity);
  });
});

describe('OTLP JSON', () => {
  it('reads one request per line, and base64 ids as protobuf-JSON writers emit them', async () => {
    const { json } = otlpScenario(Date.parse('2026-03-10T09:00:00Z'));
    const doc = JSON.parse(json) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string; spanId: string; parentSpanId?: string }> }> }> };
    const b64 = structuredClone(doc);
    for (const span of b64.resourceSpans[0]?.scopeSpans[0]?.spans ?? []) {
      span.traceId = Buffer.from(span.traceId, 'hex').toString('base64');
      span.spanId = Buffer.from(span.spanId, 'hex').toString('base64');
      if (span.parentSpanId) span.parentSpanId = Buffer.from(span.parentSpanId, 'hex').toString('base64');
    }
    const r = await readTraceFile(write('two.jsonl', `${JSON.stringify(doc)}\n${JSON.stringify(b64)}\n`));
    expect(r.format).toBe('otlp');
    expect(r.steps).toHaveLength(12);
    const hexIds = r.steps.slice(0, 6).map((s) => s.id).sort();
    expect(r.steps.slice(6).map((s) => s.id).sort()).toEqual(hexIds);
    const tool = r.steps.find((s) => s.tool === 'delete_db_instance');
    expect(tool).toEqual(expect.objectContaining({ kind: 'tool', toolCallId: 'call_2', arguments: '{"DBInstanceIdentifier":"prod-orders","SkipFinalSnapshot":true}', identity: expect.objectContaining({ 'service.name': 'ops-agent' }) }));
  });
});

describe('bad trace input', () => {
  it.each([
    ['no-start.json', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'x' }] }] }] }), 'line 1, resourceSpans[0].scopeSpans[0].spans[0]: span cdcdcdcdcdcdcdcd has no valid startTimeUnixNano'],
    ['broken.jsonl', '{"run_type": "llm", "id": "a", "start_time": 1}\n{"run_type": \n', 'line 2: not valid JSON'],
    ['mixed.jsonl', '{"run_type": "llm", "id": "a", "start_time": 1}\n{"resourceSpans": []}\n', 'line 2: not a LangSmith run or batch'],
    ['no-time.json', JSON.stringify({ post: [{ id: 'r1', run_type: 'tool', name: 'x' }] }), 'line 1: run r1 has no valid start_time'],
    ['other.json', '{"Records": []}', 'line 1: neither OTLP JSON'],
    ['empty.json', '  \n', 'file: empty file'],
  ])('%s is refused with its position', async (name, text, message) => {
    const p = write(name, text);
    await expect(readTraceFile(p)).rejects.toThrow(`${p}: ${message}`);
  });
});

describe('destructive tool calls', () => {
  it.each([
    ['delete_db_instance', '{}', 'its name says delete'],
    ['TerminateInstances', null, 'its name says terminate'],
    ['run_sql', '{"sql":"DROP TABLE orders"}', 'SQL DROP in its arguments'],
    ['shell', '{"cmd":"rm -rf /var/lib/postgresql"}', 'rm -r/-f in its arguments'],
    ['run_command', 'aws rds delete-db-instance --db-instance-identifier prod', 'an AWS CLI delete in its arguments'],
  ])('%s %s is destructive: %s', (tool, args, why) => expect(destructiveBecause(tool, args)).toBe(why));

  it.each([
    ['describe_db_instances', '{}'],
    ['list_deleted_items', '{}'],
    ['run_sql', '{"sql":"SELECT * FROM orders"}'],
  ])('%s %s is not', (tool, args) => expect(destructiveBecause(tool, args)).toBeNull());
});

describe('redaction of what the model said', () => {
  it('replaces keys and URL passwords and leaves the words', () => {
    const out = redactSecrets('Using AKIAIOSFODNN7EXAMPLE and postgres://admin:hunter2secret@db:5432/prod to drop it.');
    expect(out).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(out).not.toContain('hunter2secret');
    expect(out).toContain('[redacted AWS access key id: AKIA');
    // The evidence scan names a password in a database URL as its own kind of secret; either way it is gone.
    expect(out).toMatch(/postgres:\/\/admin:\[redacted [^\]]*\]@db:5432\/prod to drop it\./);
  });
});

describe('trace scan of a folder', () => {
  it('reads every .json, .jsonl and .gz file under it and leaves other files alone', async () => {
    const { scanTraces } = await import('../../../electron/core/traces/scan');
    const r = await scanTraces([REF]);
    expect(r.files.map((f) => f.status)).toEqual(Array(8).fill('ok'));
    expect(r.files.some((f) => f.path.endsWith('LICENSE'))).toBe(false);
    expect(r.runs).toHaveLength(8);
  });
});
