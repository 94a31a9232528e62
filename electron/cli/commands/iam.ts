import type { Command } from 'commander';
import { type CliEnv, CliExit, EXIT } from '../env';
import { formatAgents, formatGapFacts, formatIamAnalysis, formatIamCapture, formatIamImport, formatIncidentAnalysis, formatLeastPrivilege, formatRevocations, formatRevokePlan, formatSources } from '../format/iam';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerIamCommands(program: Command, env: CliEnv): void {
  const iam = program.command('iam').description("the agent's identity: its IAM snapshot as evidence, what it could do versus what it did");

  type AwsFlags = { profile?: string; region?: string; endpoint?: string };
  const awsInput = (o: AwsFlags) => ({ ...(o.profile ? { profile: o.profile } : {}), ...(o.region ? { region: o.region } : {}), ...(o.endpoint ? { endpoint: o.endpoint } : {}) });
  const awsOptions = (c: Command) =>
    c
      .option('--profile <name>', 'a named AWS profile (default: the SDK default credential chain)')
      .option('--region <region>', 'the region of the IAM endpoint (default: us-east-1)')
      .option('--endpoint <url>', 'an IAM-compatible endpoint instead of AWS')
      .option('--json', 'print JSON');

  awsOptions(
    iam
      .command('capture')
      .description('read the role or user from IAM before anything is revoked: policies, boundary, groups, keys, credential report, last-accessed data; every response kept as evidence')
      .argument('<incident>', 'incident id, e.g. IR-2026-0001')
      .option('--role-name <name>', 'the agent role (as the AWS CLI names it)')
      .option('--role <name>', 'the agent role, as the playbooks write it (here it names the agent, not your role)')
      .option('--user-name <name>', 'the agent IAM user'),
  ).action(async (incidentId: string, o: AwsFlags & AgentFlags & { json?: boolean }) => {
    const roleName = agentRole(env, o, 'iam capture');
    const input = { incidentId, ...(roleName ? { role: roleName } : {}), ...(o.userName ? { user: o.userName } : {}), ...awsInput(o) };
    const r = await env.call('iam.capture', input, { onProgress: (l) => env.io.err(`${l}\n`) });
    if (o.json) env.json(r);
    else env.io.out(formatIamCapture(r));
  });

  iam
    .command('import')
    .description('take IAM files as evidence: get-account-authorization-details, get-role, list-attached-role-policies, get-role-policy, get-policy-version, the credential report')
    .argument('<incident>', 'incident id, e.g. IR-2026-0001')
    .argument('<file...>', 'AWS CLI or IAM API outputs (JSON; policy documents URL-encoded or not) or the credential report (CSV or JSON)')
    .option('--identity <arn-or-name>', 'the role or user that list-attached-*-policies and get-*-policy outputs without a name belong to')
    .option('--policy-arn <arn>', 'the managed policy a get-policy-version output belongs to')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, paths: string[], o: { identity?: string; policyArn?: string; json?: boolean }) => {
      const r = await env.call('iam.import', { incidentId, paths, ...(o.identity ? { identity: o.identity } : {}), ...(o.policyArn ? { policyArn: o.policyArn } : {}) });
      if (o.json) env.json(r);
      else env.io.out(formatIamImport(r));
    });

  iam
    .command('sources')
    .description("the evidence items that make up the incident's IAM snapshot, in the order recorded")
    .argument('<incident>', 'incident id')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, o: { json?: boolean }) => {
      const r = await env.call('iam.sources', { incidentId });
      if (o.json) env.json(r);
      else env.io.out(`${formatSources(r)}\n`);
    });

  iam
    .command('analyze')
    .description('could versus did: granted, used, never used, denied and conditional actions; with --authz, of files on this machine without an incident')
    .argument('[incident]', 'incident id (omit with --authz)')
    .option('--identity <arn>', 'the role or user (default: the incident\'s agent identities)')
    .option('--authz <file>', 'an authorization details (or get-role ...) file to analyse without an incident (repeatable)', collect, [] as string[])
    .option('--logs <path>', 'CloudTrail exports (files, folders, AWSLogs/ trees) with --authz (repeatable)', collect, [] as string[])
    .option('--json', 'print JSON')
    .action(async (incidentId: string | undefined, o: { identity?: string; authz: string[]; logs: string[]; json?: boolean }) => {
      if (o.authz.length) {
        if (incidentId) throw new CliExit(EXIT.usage, 'firebreak: give an incident or --authz FILE, not both');
        if (!o.identity) throw new CliExit(EXIT.usage, 'firebreak: iam analyze --authz needs --identity ARN');
        const a = await env.call('iam.analyzeFiles', { authz: o.authz, logs: o.logs, identity: o.identity }, { scratch: true });
        if (o.json) env.json(a);
        else env.io.out(formatIamAnalysis(a));
        return;
      }
      if (!incidentId) throw new CliExit(EXIT.usage, 'firebreak: iam analyze needs an incident id, or --authz FILE --identity ARN');
      if (o.logs.length) throw new CliExit(EXIT.usage, 'firebreak: --logs goes with --authz; an incident reads its imported CloudTrail events');
      const r = await env.call('iam.analyze', { incidentId, ...(o.identity ? { identity: o.identity } : {}) });
      if (o.json) env.json(r);
      else env.io.out(formatIncidentAnalysis(r));
    });

  iam
    .command('least-privilege')
    .description('draft a scoped policy and a permissions boundary from what the agent did, with the aws commands that apply them; kept as evidence')
    .argument('<incident>', 'incident id')
    .requiredOption('--identity <arn>', 'the agent role or user')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, o: { identity: string; json?: boolean }) => {
      const d = await env.call('iam.leastPrivilege', { incidentId, identity: o.identity });
      if (o.json) env.json(d);
      else env.io.out(formatLeastPrivilege(d));
    });

  awsOptions(
    iam
      .command('revoke')
      .description("revoke the agent's access in one step: deny-all and revoke older sessions (role), or deny-all and deactivate its access keys (user); --dry-run shows the exact calls")
      .argument('<incident>', 'incident id')
      .option('--role-name <name>', 'the agent role (as the AWS CLI names it)')
      .option('--role <name>', 'the agent role, as the playbooks write it (here it names the agent, not your role)')
      .option('--user-name <name>', 'the agent IAM user')
      .option('--dry-run', 'show the IAM calls and policy JSON, send nothing')
      .option('--yes', 'confirm: send the calls')
      .option('--override <reason>', 'revoke although no capture of the identity exists, recording why'),
  ).action(async (incidentId: string, o: AwsFlags & AgentFlags & { dryRun?: boolean; yes?: boolean; override?: string; json?: boolean }) => {
    const roleName = agentRole(env, o, 'iam revoke');
    const target = { incidentId, ...(roleName ? { role: roleName } : {}), ...(o.userName ? { user: o.userName } : {}) };
    if (o.dryRun || !o.yes) {
      const plan = await env.call('iam.revokePlan', target);
      if (o.json) env.json(plan);
      else env.io.out(formatRevokePlan(plan));
      if (!o.dryRun) throw new CliExit(EXIT.problem, 'firebreak: nothing was sent: run again with --yes to send these calls');
      return;
    }
    const r = await env.call('iam.revoke', { ...target, ...awsInput(o), confirm: true, ...(o.override ? { override: o.override } : {}) });
    if (o.json) env.json(r);
    else env.io.out(formatRevocations([r]));
  });

  awsOptions(
    iam
      .command('undo')
      .description('undo a revocation in one step: remove the policies it attached (or put back what it overwrote), reactivate the keys it deactivated')
      .argument('<incident>', 'incident id')
      .argument('<revocation>', 'the revocation number (iam revocations lists them)'),
  ).action(async (incidentId: string, revocation: string, o: AwsFlags & { json?: boolean }) => {
    const n = Number(revocation);
    if (!Number.isInteger(n) || n < 1) throw new CliExit(EXIT.usage, `firebreak: a revocation number is 1, 2, ...; got "${revocation}"`);
    const r = await env.call('iam.undoRevocation', { incidentId, revocation: n, ...awsInput(o) });
    if (o.json) env.json(r);
    else env.io.out(formatRevocations([r]));
  });

  iam
    .command('agents')
    .description("the incident's agent identities (what analyze, the report and the CloudTrail findings follow); with ARNs, set them")
    .argument('<incident>', 'incident id')
    .argument('[identity...]', 'agent role or user ARNs (or names) to set; replaces those set before')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, identities: string[], o: { json?: boolean }) => {
      if (identities.length) await env.call('cloudtrail.setAgents', { incidentId, identities });
      const r = await env.call('cloudtrail.agents', { incidentId });
      if (o.json) env.json(r);
      else env.io.out(formatAgents(incidentId, r));
    });

  iam
    .command('gap-facts')
    .description('the AC-6 and AC-2 facts the analysis offers the gap assessment; --accept records the proposed gap text and links its evidence')
    .argument('<incident>', 'incident id')
    .option('--accept <control>', 'accept the offer for AC-6 or AC-2 (repeatable); edit it later with firebreak gap set', collect, [] as string[])
    .option('--json', 'print JSON')
    .action(async (incidentId: string, o: { accept: string[]; json?: boolean }) => {
      const offers = await env.call('iam.gapFacts', { incidentId });
      const wanted = o.accept.map((c) => c.toUpperCase());
      for (const c of wanted) if (!offers.some((x) => x.control === c)) throw new CliExit(EXIT.usage, `firebreak: no ${c} facts are on offer for ${incidentId} (offered: ${offers.map((x) => x.control).join(', ') || 'none'})`);
      const accepted = offers.filter((x) => wanted.includes(x.control));
      // The assessor's acceptance goes through the gap domain as their own assessment would: one ledger entry each.
      for (const x of accepted) {
        await env.call('gap.assess', { id: incidentId, controlId: x.control, gap: x.gap });
        for (const item of x.evidence) await env.call('gap.linkEvidence', { id: incidentId, controlId: x.control, itemId: item, unlink: false });
      }
      if (o.json) env.json({ offers, accepted: accepted.map((x) => x.control) });
      else env.io.out(formatGapFacts(incidentId, offers, accepted.map((x) => x.control)));
    });

  iam
    .command('revocations')
    .description('revocations with the time from awareness and the time to halt (first AccessDenied after, once logs are collected)')
    .argument('<incident>', 'incident id')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, o: { json?: boolean }) => {
      const r = await env.call('iam.revocations', { incidentId });
      if (o.json) env.json(r);
      else env.io.out(formatRevocations(r));
    });
}

interface AgentFlags {
  roleName?: string;
  role?: string;
  userName?: string;
}

/**
 * The agent role named by --role-name or by --role (as the seeds and playbooks write `iam capture --role NAME`); on
 * these commands --role names the agent, and the operator's role comes from FIREBREAK_ROLE. Exactly one of a role or
 * --user-name.
 */
function agentRole(env: CliEnv, o: AgentFlags, command: string): string | undefined {
  const usage = `firebreak: ${command} needs either --role NAME (or --role-name NAME) or --user-name NAME`;
  if (o.userName) {
    if (o.roleName || o.role) throw new CliExit(EXIT.usage, usage);
    return undefined;
  }
  if (o.roleName) return o.roleName;
  try {
    return env.commandRole(o.role, command);
  } catch {
    throw new CliExit(EXIT.usage, usage);
  }
}
