import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IncidentTraces, TraceScanReport } from '../../../electron/shared/traces';
import { runFirebreak } from '../../helpers/cli';
import { otlpRuns } from '../../helpers/infra-agent-trace';
import { tempDir } from '../../helpers/temp';

/**
 * Real Azure Activity Log and GCP Cloud Audit Logs records (../shared/reference, plaso's test data): an agent deleted the
 * VM test-vm (Azure, 2022-02-09T03:04:26Z) and created fake-compute-instance (GCP, 2024-04-26T20:10:10Z). The trace
 * names those resources in its tool arguments. The disk deletion 28 s after the VM's is by another identity, named by no call.
 */
const REFERENCE = resolve(__dirname, '../../../../shared/reference');
const AZURE = join(REFERENCE, 'azure-activity/plaso/azure_activity_log.jsonl');
const GCP = join(REFERENCE, 'gcp-audit/plaso/gcp_logging.jsonl');
const VM_DELETE = '648230f9-fba4-4def-8a83-118b158b748a';
const DISK_DELETE = '587eda65-125e-48c2-9b04-ab5e8d3a1d8e';
const GCP_INSERT = '-duywnve29mpi';

const dir = tempDir('firebreak-traces-clouds-');
afterAll(() => dir.cleanup());
const env = { FIREBREAK_DATA_DIR: join(dir.path, 'data') };

function writeTrace(): string {
  const file = join(dir.path, 'infra-agent.json');
  const vmAt = Date.parse('2022-02-09T03:04:25.500Z');
  const gcpAt = Date.parse('2024-04-26T20:10:09.000Z');
  writeFileSync(
    file,
    otlpRuns({ 'service.name': 'infra-agent' }, [
      { agent: 'azure-janitor', calls: [{ name: 'delete_virtual_machine', args: { resource_group: 'test-resource-group', vm_name: 'test-vm' }, startMs: vmAt, endMs: vmAt + 1_500, said: 'test-vm looks idle; deleting it.' }] },
      { agent: 'gcp-builder', calls: [{ name: 'create_instance', args: { project: '1234567890', zone: 'us-central1-b', name: 'fake-compute-instance' }, startMs: gcpAt, endMs: gcpAt + 2_000 }] },
    ]),
  );
  return file;
}

const call = (calls: IncidentTraces['toolCalls'], name: string) => calls.find((t) => t.name === name);

describe('the decision chain against every cloud, whatever the order of import', () => {
  it('ties tool calls to Azure and GCP events that arrive after the trace, and names the deletion no call explains', async () => {
    const traceFile = writeTrace();
    const id = (await runFirebreak(['incident', 'new', '--playbook', 'agent-change-freeze-breach'], env)).stdout.trim();

    const imported = await runFirebreak(['trace', 'import', id, traceFile, '--json'], env);
    expect(imported.stderr).toBe('');
    const before = JSON.parse((await runFirebreak(['trace', 'show', id, '--json'], env)).stdout) as IncidentTraces;
    expect(before.runs.map((r) => r.agent).sort()).toEqual(['azure-janitor', 'gcp-builder']);
    expect(before.toolCalls.flatMap((t) => t.correlated)).toEqual([]);
    expect(before.unexplained).toEqual([]);

    // The cloud logs come afterwards, through `logs import` (not `cloudtrail import`).
    const logs = await runFirebreak(['logs', 'import', id, AZURE, GCP], env);
    expect(logs.code).toBe(0);
    const after = JSON.parse((await runFirebreak(['trace', 'show', id, '--json'], env)).stdout) as IncidentTraces;
    expect(call(after.toolCalls, 'delete_virtual_machine')?.correlated).toEqual([
      expect.objectContaining({ cloud: 'azure', eventID: VM_DELETE, operation: 'Microsoft.Compute/virtualMachines/delete', confidence: 'high', reasons: ['time', 'operation', 'resource'] }),
    ]);
    expect(call(after.toolCalls, 'create_instance')?.correlated).toEqual([
      expect.objectContaining({ cloud: 'gcp', eventID: GCP_INSERT, operation: 'beta.compute.instances.insert', confidence: 'medium', reasons: ['time', 'resource'] }),
    ]);
    expect(after.unexplained.map((u) => [u.cloud, u.eventID])).toEqual([['azure', DISK_DELETE]]);
    expect(after.axis.events.map((e) => e.id)).toEqual(expect.arrayContaining([VM_DELETE, DISK_DELETE, GCP_INSERT]));
    expect(after.cloudEvents).toBeGreaterThanOrEqual(3);

    // The stateless form reads the same logs beside the trace and finds the same ties.
    const scan = await runFirebreak(['trace', 'scan', traceFile, '--logs', AZURE, GCP, '--json'], env);
    const report = JSON.parse(scan.stdout) as TraceScanReport;
    expect(call(report.toolCalls, 'delete_virtual_machine')?.correlated.map((c) => [c.eventID, c.confidence])).toEqual([[VM_DELETE, 'high']]);
    expect(call(report.toolCalls, 'create_instance')?.correlated.map((c) => [c.eventID, c.confidence])).toEqual([[GCP_INSERT, 'medium']]);
    expect(report.unexplained.map((u) => u.eventID)).toEqual([DISK_DELETE]);
  });

  it('leaves the deletions unexplained when the only tool call names another resource', async () => {
    const file = join(dir.path, 'wrong-vm.json');
    const at = Date.parse('2022-02-09T03:04:25.500Z');
    writeFileSync(file, otlpRuns({ 'service.name': 'infra-agent' }, [{ agent: 'azure-janitor', calls: [{ name: 'restart_virtual_machine', args: { vm_name: 'other-vm' }, startMs: at, endMs: at + 1_000 }] }]));
    const scan = await runFirebreak(['trace', 'scan', file, '--logs', AZURE, '--json'], env);
    const report = JSON.parse(scan.stdout) as TraceScanReport;
    expect(report.toolCalls[0]?.correlated).toEqual([]);
    expect(report.unexplained.map((u) => u.eventID)).toEqual([VM_DELETE, DISK_DELETE]);
  });
});
