import { plural } from '../../shared/plural';
import type { ReportDestructiveCall, ReportDestructiveCalls, ReportDestructiveIdentity } from '../../shared/reports';

/** Up to this many calls the appendix is a table; past it, an aligned listing (as the evidence manifest does). */
export const DESTRUCTIVE_TABLE_MAX = 1_000;

/** An event id's short form: enough to find it (the JSON report and the evidence hold it whole). */
export const shortEventId = (id: string): string => id.slice(0, 8);

/** "2023-07-10 12:10:41Z": the call's second, in UTC, in 20 characters. */
export const callTime = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
};

/** "arn:...:user/bert-jan (agent identity bert-jan): 243 destructive calls, 52 failed". */
export const identityHeading = (i: ReportDestructiveIdentity): string =>
  `${i.principal}${i.agent ? ` (agent identity ${i.agent})` : ''}: ${plural(i.total, 'destructive call')}${i.failed ? `, ${i.failed} failed` : ''}`;

/** "DeleteParameter 78 (38 failed), DeleteRole 13, ...": what the identity did, per operation. */
export const operationsLine = (i: ReportDestructiveIdentity): string =>
  i.operations.map((o) => `${o.operation} ${o.calls}${o.failed ? ` (${o.failed} failed)` : ''}`).join(', ');

/** The appendix's opening sentence. */
export const appendixIntro = (d: ReportDestructiveCalls): string =>
  `${plural(d.total, 'destructive call')} (${d.failed} failed) in the collected cloud logs, by ${plural(d.identities.length, 'identity', 'identities')}: ` +
  'grouped by identity (agent identities first) and operation, one line per call in time order. Event ids are shown by their ' +
  'first 8 characters; the JSON report holds them whole.' +
  (d.notListed ? ` ${plural(d.notListed, 'further call')} are counted per operation but not listed; they are in the evidence files.` : '');

const W = { at: 21, op: 30, region: 15, status: 24 };
const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s.padEnd(n));

export const LISTING_HEAD = `${pad('Time (UTC)', W.at)}${pad('Operation', W.op)}${pad('Region', W.region)}${pad('Status', W.status)}Event     Resource\n`;

/** One call as one line of the listing. */
export const callLine = (c: ReportDestructiveCall): string =>
  `${pad(callTime(c.at), W.at)}${pad(c.operation, W.op)}${pad(c.region ?? '—', W.region)}${pad(c.status, W.status)}${pad(shortEventId(c.eventId), 10)}${c.resource}\n`;
