import type { AthenaQuery, AthenaScope } from '../../shared/athena';
import type { HighRiskTable } from '../cloudtrail/analyse/high-risk';

/**
 * The analysis as Athena SQL (engine 3, Trino). Every query reads only the partitions of the incident's window,
 * accounts and Regions (the projected columns account, region and timestamp), then the exact window on eventtime.
 * The high-risk query is generated from the same table the local scan uses: it selects the candidate events by source
 * and name, and the local classifier applies each row's conditions to the records brought back, as for an import.
 */

/** Columns of a record as selected: structs come back as JSON so the record can be rebuilt exactly. */
export const RECORD_COLUMNS: ReadonlyArray<[column: string, json: boolean]> = [
  ['eventversion', false],
  ['useridentity', true],
  ['eventtime', false],
  ['eventsource', false],
  ['eventname', false],
  ['awsregion', false],
  ['sourceipaddress', false],
  ['useragent', false],
  ['errorcode', false],
  ['errormessage', false],
  ['requestparameters', false],
  ['responseelements', false],
  ['additionaleventdata', false],
  ['requestid', false],
  ['eventid', false],
  ['readonly', false],
  ['resources', true],
  ['eventtype', false],
  ['apiversion', false],
  ['recipientaccountid', false],
  ['serviceeventdetails', false],
  ['sharedeventid', false],
  ['vpcendpointid', false],
  ['vpcendpointaccountid', false],
  ['eventcategory', false],
  ['sessioncredentialfromconsole', false],
  ['tlsdetails', true],
];

export const MATCHED_RULE = 'matched_rule';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const list = (xs: readonly string[]) => xs.map(lit).join(', ');
const day = (iso: string) => iso.slice(0, 10).replace(/-/g, '/');
/** CloudTrail writes eventTime as yyyy-MM-ddTHH:mm:ssZ, so text order is time order. */
const eventTime = (iso: string) => `${new Date(iso).toISOString().slice(0, 19)}Z`;

export function scopeFilter(s: AthenaScope): string {
  return [
    `account IN (${list(s.accounts)})`,
    `region IN (${list(s.regions)})`,
    `"timestamp" BETWEEN ${lit(day(s.start))} AND ${lit(day(s.end))}`,
    `eventtime >= ${lit(eventTime(s.start))}`,
    `eventtime < ${lit(eventTime(s.end))}`,
  ].join('\n  AND ');
}

const ACCESS_KEY = /^(AKIA|ASIA)[A-Z0-9]{12,}$/;

/** The agent identities as a predicate, read the way the local matcher reads them (agents.ts). */
export function agentFilter(identities: readonly string[]): string | null {
  const parts: string[] = [];
  for (const raw of identities.map((s) => s.trim()).filter(Boolean)) {
    if (raw.startsWith('arn:')) {
      const role = /^arn:([^:]+):iam::(\d*):role\/(?:.*\/)?([^/]+)$/.exec(raw);
      const assumed = /^arn:([^:]+):sts::(\d*):assumed-role\/([^/]+)\/?$/.exec(raw);
      const prefix = role ? `arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/` : assumed ? `arn:${assumed[1]}:sts::${assumed[2]}:assumed-role/${assumed[3]}/` : null;
      parts.push(`useridentity.arn = ${lit(raw)}`, `useridentity.sessioncontext.sessionissuer.arn = ${lit(raw)}`);
      if (prefix) parts.push(`starts_with(useridentity.arn, ${lit(prefix)})`);
    } else if (ACCESS_KEY.test(raw)) {
      parts.push(`useridentity.accesskeyid = ${lit(raw)}`);
    } else {
      const name = raw.toLowerCase();
      parts.push(
        `lower(useridentity.sessioncontext.sessionissuer.username) = ${lit(name)}`,
        `lower(useridentity.username) = ${lit(name)}`,
        `lower(useridentity.principalid) LIKE ${lit(`%:${name}`)}`,
      );
    }
  }
  return parts.length ? `(${parts.join('\n    OR ')})` : null;
}

/** Lambda records its API names with a version suffix (DeleteFunction20150331); the local table names both. */
function eventNames(rule: HighRiskTable['rules'][number]): string[] {
  const names = new Set(rule.eventNames);
  if (rule.eventSource === 'lambda.amazonaws.com') for (const n of rule.eventNames) names.add(`${n}20150331`).add(`${n}20150331v2`);
  return [...names];
}

function highRiskCases(table: HighRiskTable): Array<{ id: string; test: string }> {
  return table.rules.map((r) => ({ id: r.id, test: `(eventsource = ${lit(r.eventSource)} AND eventname IN (${list(eventNames(r))}))` }));
}

const selectRecord = () =>
  RECORD_COLUMNS.map(([c, json]) => (json ? `json_format(CAST(${c} AS JSON)) AS ${c}` : c)).join(',\n  ');

const principal = 'COALESCE(useridentity.arn, useridentity.principalid, useridentity.invokedby, useridentity.type)';

export interface QueryInput {
  database: string;
  table: string;
  scope: AthenaScope;
  identities: readonly string[];
  highRisk: HighRiskTable;
}

export function analysisQueries(q: QueryInput): AthenaQuery[] {
  const from = `"${q.database}"."${q.table}"`;
  const scope = scopeFilter(q.scope);
  const agent = agentFilter(q.identities);
  const cases = highRiskCases(q.highRisk);
  const queries: AthenaQuery[] = [
    {
      name: 'high-risk-events',
      purpose: `Full records of the high-risk events (${cases.length} rows of the high-risk table)${agent ? " and of every call by the agent identities" : ''}; classified locally as an import is.`,
      sql: [
        `SELECT\n  ${selectRecord()},`,
        `  CASE\n${cases.map((c) => `    WHEN ${c.test} THEN ${lit(c.id)}`).join('\n')}\n    ELSE NULL\n  END AS ${MATCHED_RULE}`,
        `FROM ${from}`,
        `WHERE ${scope}`,
        `  AND (\n    ${[...cases.map((c) => c.test), ...(agent ? [agent] : [])].join('\n    OR ')}\n  )`,
        'ORDER BY eventtime, eventid',
      ].join('\n'),
    },
    {
      name: 'identity-activity',
      purpose: 'Calls per identity and minute (with errors and writes): the per-identity counts and the cadence inputs.',
      sql: [
        'SELECT',
        `  ${principal} AS principal_arn,`,
        '  substr(eventtime, 1, 16) AS minute,',
        '  count(*) AS calls,',
        '  count_if(errorcode IS NOT NULL) AS errors,',
        "  count_if(readonly = 'false') AS writes",
        `FROM ${from}`,
        `WHERE ${scope}`,
        'GROUP BY 1, 2',
        'ORDER BY 1, 2',
      ].join('\n'),
    },
  ];
  if (agent) {
    queries.push({
      name: 'blast-radius',
      purpose: 'Every resource the agent identities changed successfully, by service: the blast radius.',
      sql: [
        'SELECT',
        `  ${principal} AS principal_arn,`,
        '  eventsource,',
        '  r.arn AS resource,',
        '  count(*) AS writes',
        `FROM ${from}`,
        'CROSS JOIN UNNEST(resources) AS u (r)',
        `WHERE ${scope}`,
        "  AND readonly = 'false'",
        '  AND errorcode IS NULL',
        `  AND ${agent}`,
        'GROUP BY 1, 2, 3',
        'ORDER BY 4 DESC, 1, 2, 3',
      ].join('\n'),
    });
  }
  return queries;
}
