import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IncidentTraces, TraceImport } from '../../../electron/shared/traces';
import { AGENT_ROLE_ARN, LEAKED_KEY, cloudTrailOf, otlpScenario } from '../../helpers/agent-scenario';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-traces-import-');
afterAll(() => dir.cleanup());
const env = { FIREBREAK_DATA_DIR: join(dir.path, 'data') };
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('firebreak trace import', () => {
  it('takes the trace as evidence, records its chain tied to the imported CloudTrail export, and keeps the ledger whole', async () => {
    const { json, times } = otlpScenario(Date.parse('2026-03-10T09:00:00Z'));
    const traceFile = join(dir.path, 'otel.json');
    const trail = join(dir.path, 'trail.json');
    writeFileSync(traceFile, json);
    writeFileSync(trail, JSON.stringify(cloudTrailOf(times, 'imp')));
    const created = await runFirebreak(['incident', 'new', '--playbook', 'agent-change-freeze-breach', '--param', `agent_role_name=${AGENT_ROLE_ARN.split('/').at(-1) ?? ''}`, '--param', 'freeze_start=2026-03-09', '--param', 'freeze_end=2026-03-10 09:00:06', '--param', 'agent_tools=describe_db_instances, delete_db_instance'], env);
    expect(created.stderr).toBe('');
    const id = created.stdout.trim();
    expect((await runFirebreak(['cloudtrail', 'import', id, trail], env)).code).toBe(0);
    const early = await runFirebreak(['step', id, 'reconstruct-decision-chain', '--done'], env);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain("waiting for the agent's traces");
    expect(early.stderr).toContain(`firebreak trace import ${id} FILE...`);

    const run = await runFirebreak(['trace', 'import', id, traceFile, '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const imported = JSON.parse(run.stdout) as TraceImport;
    expect(imported).toEqual(expect.objectContaining({ id: 'TR-000001', incidentId: id, runs: 1, toolCalls: 3, destructive: 2 }));
    expect(imported.evidence).toEqual([expect.objectContaining({ sha256: sha256(traceFile), path: traceFile, format: 'otlp' })]);
    expect(imported.findings.map((f) => f.kind)).toEqual(['no-human-approval', 'tool-out-of-scope', 'destructive-in-freeze', 'decision-to-last-destruction']);
    expect(imported.findings[1]?.title).toContain('Tool run_sql is outside');
    // Only the delete (t0+5 s) falls in the freeze, which ended before the DROP TABLE (t0+8 s).
    expect(imported.findings[2]?.title).toMatch(/^1 destructive tool call during the change freeze/);

    const shown = await runFirebreak(['trace', 'show', id, '--json'], env);
    const chain = JSON.parse(shown.stdout) as IncidentTraces;
    expect(chain.runs.map((r) => r.agent)).toEqual(['ops-agent']);
    expect(chain.toolCalls.find((t) => t.name === 'delete_db_instance')?.correlated).toEqual([
      expect.objectContaining({ eventID: 'imp-delete-db', confidence: 'high', reasons: ['time', 'operation', 'resource', 'identity'] }),
    ]);

    const incident = JSON.parse((await runFirebreak(['incident', 'show', id, '--json'], env)).stdout) as { steps: Record<string, { status: string; proof: { met: boolean; record: string | null } | null }> };
    expect(incident.steps['reconstruct-decision-chain']).toMatchObject({ status: 'done', proof: { met: true, record: 'TR-000001' } });

    const verify = await runFirebreak(['evidence', 'verify', id, '--json'], env);
    expect(verify.code).toBe(0);
    expect((JSON.parse(verify.stdout) as { items: Array<{ id: string }> }).items.map((i) => i.id)).toContain(imported.evidence[0]?.id);
    expect((await runFirebreak(['audit', 'verify', id], env)).code).toBe(0);

    const md = join(dir.path, 'report.md');
    const report = await runFirebreak(['report', id, '--kind', 'incident', '--format', 'md', '--out', md], env);
    expect(report.code).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain("## The agent's decision chain");
    expect(text).toContain('> prod-orders has had no connections for 30 days');
    expect(text).toContain('aws DeleteDBInstance imp-delete-db (high: time, operation, resource, identity)');
    expect(text).not.toContain(LEAKED_KEY);

    const human = await runFirebreak(['trace', 'import', id, traceFile], env);
    expect(human.stdout).toContain(`${sha256(traceFile)}  ${traceFile}`);
    expect(human.stdout).toContain('TR-000002: 1 trace file taken as evidence');
    expect(human.stdout).not.toContain(LEAKED_KEY);
  });

  it('refuses bad input naming the file and line, and takes nothing', async () => {
    const created = await runFirebreak(['incident', 'new', '--playbook', 'agent-change-freeze-breach'], env);
    const id = created.stdout.trim();
    const good = join(dir.path, 'good.json');
    writeFileSync(good, otlpScenario(Date.parse('2026-03-12T09:00:00Z')).json);
    const bad = join(dir.path, 'bad.jsonl');
    writeFileSync(bad, '{"post": [{"id": "r1", "run_type": "tool", "name": "x", "start_time": "2026-03-12T09:00:00Z"}]}\n{"post": \n');
    const run = await runFirebreak(['trace', 'import', id, good, bad], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('1 of the 2 trace files cannot be read; nothing was imported.');
    expect(run.stderr).toContain(`${bad}: line 2: not valid JSON`);
    const verify = await runFirebreak(['evidence', 'verify', id, '--json'], env);
    expect((JSON.parse(verify.stdout) as { items: unknown[] }).items).toEqual([]);
  });
});
