import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceScanReport } from '../../../electron/shared/traces';
import { AGENT_ROLE_ARN, DATABASE, LEAKED_KEY, cloudTrailOf, langsmithScenario, otlpScenario } from '../../helpers/agent-scenario';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-traces-cli-');
afterAll(() => dir.cleanup());
const env = { FIREBREAK_DATA_DIR: join(dir.path, 'data') };

const scan = async (args: string[]) => {
  const run = await runFirebreak(['trace', 'scan', ...args, '--json'], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return { report: JSON.parse(run.stdout) as TraceScanReport, stdout: run.stdout };
};

describe('firebreak trace scan', () => {
  it('reads OpenTelemetry GenAI spans and ties the delete to its CloudTrail event, naming the deletion no tool call made', async () => {
    const { json, times } = otlpScenario(Date.parse('2026-03-10T09:00:00Z'));
    const traceFile = join(dir.path, 'otel.json');
    const trail = join(dir.path, 'otel-trail.json');
    writeFileSync(traceFile, json);
    writeFileSync(trail, JSON.stringify(cloudTrailOf(times, 'otel')));
    const { report, stdout } = await scan([traceFile, '--logs', trail, '--tools', 'describe_db_instances,delete_db_instance', '--freeze-start', '2026-03-10 09:00:06', '--freeze-end', '2026-03-10']);

    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]).toEqual(expect.objectContaining({ agent: 'ops-agent', format: 'otlp', steps: 6 }));
    expect(report.runs[0]?.root[0]?.children.map((c) => c.kind)).toEqual(['model', 'tool', 'model', 'tool', 'tool']);
    expect(report.toolCalls.map((t) => [t.name, t.destructive])).toEqual([
      ['describe_db_instances', false],
      ['delete_db_instance', true],
      ['run_sql', true],
    ]);
    const del = report.toolCalls.find((t) => t.name === 'delete_db_instance');
    expect(del?.correlated).toEqual([expect.objectContaining({ cloud: 'aws', eventID: 'otel-delete-db', confidence: 'high', reasons: ['time', 'operation', 'resource', 'identity'] })]);
    expect(report.toolCalls.find((t) => t.name === 'describe_db_instances')?.correlated.map((c) => c.eventID)).toEqual(['otel-describe']);
    expect(report.unexplained.map((e) => e.eventID)).toEqual(['otel-delete-bucket']);
    // The DROP TABLE began after the instance was deleted: the deletion is not tied to it on time and identity alone.
    expect(report.toolCalls.find((t) => t.name === 'run_sql')?.correlated).toEqual([]);

    expect(report.findings.map((f) => f.kind).sort()).toEqual(['decision-to-last-destruction', 'destructive-in-freeze', 'no-human-approval', 'tool-out-of-scope']);
    // The freeze began after the delete (t0+5 s) and before the DROP TABLE (t0+8 s).
    expect(report.findings.find((f) => f.kind === 'destructive-in-freeze')?.toolCallIds).toEqual([report.toolCalls.find((t) => t.name === 'run_sql')?.id]);
    expect(report.findings.find((f) => f.kind === 'tool-out-of-scope')?.title).toContain('run_sql');
    // From the end of the decisive model turn (t0+3.8 s) to the end of the DROP TABLE call (t0+9.5 s).
    expect(report.findings.find((f) => f.kind === 'decision-to-last-destruction')?.durationMs).toBe(5_700);

    expect(report.lastWordsBeforeDestruction?.text).toContain(`${DATABASE} has had no connections for 30 days`);
    expect(report.lastWordsBeforeDestruction?.text).toContain('[redacted AWS access key id: AKIA');
    expect(stdout).not.toContain(LEAKED_KEY);
  });

  it('reads the runs the langsmith SDK posts, sees the human approval before the delete, and prints the chain', async () => {
    const { bodies, times } = await langsmithScenario();
    expect(bodies.length).toBeGreaterThan(0);
    const traceFile = join(dir.path, 'langsmith.jsonl');
    const trail = join(dir.path, 'langsmith-trail.json');
    writeFileSync(traceFile, `${bodies.join('\n')}\n`);
    writeFileSync(trail, JSON.stringify(cloudTrailOf(times, 'ls')));
    const { report } = await scan([traceFile, '--logs', trail, '--agent', AGENT_ROLE_ARN]);

    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]).toEqual(expect.objectContaining({ agent: 'ops-agent', format: 'langsmith', steps: 7 }));
    expect(report.runs[0]?.root[0]?.children.map((c) => c.name)).toEqual(['ChatOpenAI', 'describe_db_instances', 'ChatOpenAI', 'request_human_approval', 'delete_db_instance', 'run_sql']);
    const del = report.toolCalls.find((t) => t.name === 'delete_db_instance');
    expect(del?.correlated[0]).toEqual(expect.objectContaining({ eventID: 'ls-delete-db', confidence: 'high' }));
    // The approval covers both destructive calls that follow it; no scope was declared.
    expect(report.findings.map((f) => f.kind)).toEqual(['decision-to-last-destruction']);
    expect(report.unexplained.map((e) => e.eventID)).toEqual(['ls-delete-bucket']);
    expect(report.lastWordsBeforeDestruction?.text).not.toContain(LEAKED_KEY);

    const human = await runFirebreak(['trace', 'scan', traceFile, '--logs', trail], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('tool delete_db_instance [DESTRUCTIVE]');
    expect(human.stdout).toContain('-> aws DeleteDBInstance ls-delete-db');
    expect(human.stdout).toContain('Destructive cloud events no tool call explains (1):');
    expect(human.stdout).not.toContain(LEAKED_KEY);
  });

  it('exits 2 naming the file and line of bad input, and still reads the good files', async () => {
    const bad = join(dir.path, 'bad.jsonl');
    writeFileSync(bad, '{"resourceSpans": []}\n{"resourceSpans": [\n');
    const { json } = otlpScenario(Date.parse('2026-03-11T09:00:00Z'));
    const good = join(dir.path, 'good.json');
    writeFileSync(good, json);
    const run = await runFirebreak(['trace', 'scan', bad, good, '--json'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${bad}: line 2: not valid JSON`);
    const report = JSON.parse(run.stdout) as TraceScanReport;
    expect(report.toolCalls).toHaveLength(3);

    const freeze = await runFirebreak(['trace', 'scan', good, '--freeze-start', 'last tuesday', '--freeze-end', '2026-03-12'], env);
    expect(freeze.code).toBe(2);
    expect(freeze.stderr).toContain('--freeze-start and --freeze-end: the freeze start "last tuesday" is not an ISO 8601 date or date-time');
  });
});
