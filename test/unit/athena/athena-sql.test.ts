import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { loadHighRiskTable } from '../../../electron/core/cloudtrail/analyse/high-risk-load';
import { analysisQueries } from '../../../electron/core/athena/queries';
import { createTableDdl } from '../../../electron/core/athena/table-ddl';

const root = resolve(__dirname, '../../..');
const documented = readFileSync(resolve(root, 'test/fixtures/athena/aws-documented-cloudtrail-pp.sql'), 'utf8').replace(/^--.*\n/gm, '');
const table = loadHighRiskTable(root);
const scope = { start: '2026-03-01T00:00:00.000Z', end: '2026-03-04T12:00:00.000Z', accounts: ['111122223333', '444455556666'], regions: ['us-east-1', 'eu-west-1'] };

/** The column block and the clauses after it, whitespace and case folded, so layout differences do not matter. */
const fold = (s: string) => s.replace(/\s+/g, '').toLowerCase();
const columns = (ddl: string) => fold(ddl.slice(ddl.indexOf('(') + 1, ddl.indexOf('PARTITIONED BY')).replace(/\)\s*$/, ''));
const properties = (ddl: string) => Object.fromEntries([...ddl.matchAll(/'([a-z.]+)'\s*=\s*'([^']*)'/g)].map((m) => [m[1], m[2]]));

describe('the Athena table', () => {
  const ddl = createTableDdl({ database: 'ir', table: 'cloudtrail_org', bucket: 's3://trail-bucket/org-logs/', organizationId: 'o-abc123def4', accounts: scope.accounts, regions: scope.regions, firstDay: '2026/03/01' });

  it('has exactly the columns, SerDe and formats AWS documents', () => {
    expect(columns(ddl)).toBe(columns(documented));
    for (const clause of ['ROW FORMAT SERDE', 'STORED AS INPUTFORMAT', 'OUTPUTFORMAT']) {
      const line = (s: string) => s.split('\n').find((l) => l.startsWith(clause));
      expect(line(ddl)).toBe(line(documented));
    }
  });

  it('projects the day folders as AWS documents, and the organisation trail account and Region folders as enums', () => {
    const mine = properties(ddl);
    const aws = properties(documented);
    for (const key of ['projection.enabled', 'projection.timestamp.format', 'projection.timestamp.interval', 'projection.timestamp.interval.unit', 'projection.timestamp.type']) {
      expect(mine[key], key).toBe(aws[key]);
    }
    expect(mine['projection.timestamp.range']).toBe('2026/03/01,NOW');
    expect(mine['projection.account.values']).toBe('111122223333,444455556666');
    expect(mine['projection.region.values']).toBe('us-east-1,eu-west-1');
    expect(mine['storage.location.template']).toBe('s3://trail-bucket/org-logs/AWSLogs/o-abc123def4/${account}/CloudTrail/${region}/${timestamp}');
    expect(ddl).toContain("LOCATION 's3://trail-bucket/org-logs/AWSLogs/o-abc123def4/'");
    expect(ddl).toMatch(/PARTITIONED BY \(account STRING, region STRING, `timestamp` STRING\)/);
  });

  it('leaves the organisation folder out for a single-account trail', () => {
    const single = createTableDdl({ database: 'ir', table: 't', bucket: 's3://b', organizationId: null, accounts: ['111122223333'], regions: ['us-east-1'], firstDay: '2026/03/01' });
    expect(properties(single)['storage.location.template']).toBe('s3://b/AWSLogs/${account}/CloudTrail/${region}/${timestamp}');
  });
});

describe('the analysis queries', () => {
  const parser = new Parser();
  const agents = ['arn:aws:iam::111122223333:role/agent-runner', 'AKIAIOSFODNN7EXAMPLE', 'deploy-bot'];
  const queries = analysisQueries({ database: 'ir', table: 'cloudtrail_org', scope, identities: agents, highRisk: table });

  it('parse as Athena engine 3 (Trino) SQL', () => {
    expect(queries.map((q) => q.name)).toEqual(['high-risk-events', 'identity-activity', 'blast-radius']);
    for (const q of queries) expect(() => parser.astify(q.sql, { database: 'trino' }), q.name).not.toThrow();
  });

  it('a broken query would not parse (the check can fail)', () => {
    const broken = queries[0]!.sql.replace('FROM', 'FORM');
    expect(() => parser.astify(broken, { database: 'trino' })).toThrow();
  });

  it("read only the incident's partitions and window", () => {
    for (const q of queries) {
      expect(q.sql).toContain("account IN ('111122223333', '444455556666')");
      expect(q.sql).toContain("region IN ('us-east-1', 'eu-west-1')");
      expect(q.sql).toContain(`"timestamp" BETWEEN '2026/03/01' AND '2026/03/04'`);
      expect(q.sql).toContain("eventtime >= '2026-03-01T00:00:00Z'");
      expect(q.sql).toContain("eventtime < '2026-03-04T12:00:00Z'");
    }
  });

  it('select every high-risk row of the local table, by source and name', () => {
    const sql = queries[0]!.sql;
    for (const rule of table.rules) {
      expect(sql).toContain(`THEN '${rule.id}'`);
      for (const name of rule.eventNames) expect(sql).toContain(`'${name}'`);
    }
    expect(sql).toContain("starts_with(useridentity.arn, 'arn:aws:sts::111122223333:assumed-role/agent-runner/')");
    expect(sql).toContain("useridentity.accesskeyid = 'AKIAIOSFODNN7EXAMPLE'");
    expect(sql).toContain("lower(useridentity.username) = 'deploy-bot'");
  });

  it('quote what a user typed, so a name cannot end the string', () => {
    const [q] = analysisQueries({ database: 'ir', table: 't', scope, identities: ["o'brien"], highRisk: table });
    expect(q!.sql).toContain("'o''brien'");
    expect(() => parser.astify(q!.sql, { database: 'trino' })).not.toThrow();
  });

  it('leave the blast radius out when no agent identity is known', () => {
    expect(analysisQueries({ database: 'ir', table: 't', scope, identities: [], highRisk: table }).map((q) => q.name)).toEqual(['high-risk-events', 'identity-activity']);
  });
});
