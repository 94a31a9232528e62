import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiHandlers, ApiInput, ApiMethod, ApiOutput } from '../../shared/contract/index';
import type { Incident } from '../../shared/domain';
import type { CoreContext } from '../context';
import type { CoreCall } from '../dispatch';
import { FirebreakError, notFound } from '../errors';
import { intakeBytes } from '../evidence/intake';
import { openIncident } from '../incidents/handlers';
import { IncidentRepository } from '../incidents/repository';
import { sampleFiles } from './fixtures';
import { damageSampleDatabase } from './sample-database';
import { signSample } from './signers';

export const SAMPLE_PLAYBOOK = 'agent-destructive-action';
/** The recorded identity that made the destructive calls in the shipped CloudTrail logs; it stands in for the agent. */
export const SAMPLE_AGENT = { arn: 'arn:aws:iam::123837392027:user/bert-jan', name: 'bert-jan', account: '123837392027' };
/** The rows the "agent" deleted and the incomplete restore did not bring back. */
export const SAMPLE_DELETED_ROWS = 120;


/**
 * The sample incident: everything Firebreak does, on data that needs no AWS account and no damaged database. It is built
 * through the same Api handlers a responder uses, as the automated "sample generator", so its record is real.
 */
/** The sample generator: an automated actor started by the operator, calling the Api through the one dispatch. */
function generator(ctx: CoreContext, callAs: (ctx: CoreContext) => CoreCall, failure: string) {
  ctx.human(); // someone must have said who is working
  const auto: CoreContext = { ...ctx, human: () => ctx.automated('sample generator') };
  // The same dispatch every adapter goes through: input parsed by the contract, every change checked for its entry.
  const dispatch = callAs(auto);
  const call = async <M extends ApiMethod>(m: M, input: ApiInput<M>): Promise<ApiOutput<M>> => {
    const r = await dispatch(m, input);
    if (!r.ok) throw new FirebreakError(r.error.code, `${failure}: ${r.error.message}`, r.error.details);
    return r.value as ApiOutput<M>;
  };
  return { auto, call };
}

export function sampleHandlers(ctx: CoreContext, callAs: (ctx: CoreContext) => CoreCall): Pick<ApiHandlers, 'sample.create' | 'sample.restoreBackup' | 'sample.signOff'> {
  return {
    'sample.create': async () => {
      const { auto, call } = generator(ctx, callAs, 'The sample could not be built');

      const incident = openIncident(
        auto,
        {
          playbookId: SAMPLE_PLAYBOOK,
          title: 'SAMPLE: automation dropped the store database and tore down the account',
          params: {
            agent_role_name: 'sample-deploy-agent',
            agent_role_arn: SAMPLE_AGENT.arn,
            agent_username: SAMPLE_AGENT.name,
            aws_account_id: SAMPLE_AGENT.account,
            lookback_start: '2023-07-10T00:00:00Z',
            dynamodb_table: 'sample-orders',
          },
        },
        { sample: true },
      );
      const id = incident.id;

      // The databases: a known-good backup, and "production" after a restore that lost rows in one table.
      const files = sampleFiles(ctx.resourcesDir);
      const dir = join(ctx.dataDir, 'samples', id);
      mkdirSync(dir, { recursive: true });
      const backup = join(dir, 'chinook-backup.sqlite');
      const production = join(dir, 'chinook-production.sqlite');
      copyFileSync(files.chinook, backup);
      chmodSync(backup, 0o444);
      copyFileSync(files.chinook, production);
      damageSampleDatabase(production, SAMPLE_DELETED_ROWS);
      await call('workflow.setParams', {
        id,
        params: {
          ...incident.params,
          production_database_url: `sqlite:${production}`,
          restore_database_url: `sqlite:${backup}`,
        },
      });

      // Containment as a responder would have begun it.
      await call('workflow.setStep', {
        id,
        stepId: 'inventory-production-agents',
        status: 'done',
        note: 'SAMPLE. One automation identity in production: **bert-jan** (IAM user driving Terraform and Stratus Red Team).',
      });
      await call('workflow.decide', { id, stepId: 'backup-access-decision', answers: ['backups-isolated'] });
      for (const e of sampleEvidence()) {
        await intakeBytes(auto, auto.human(), e.content, { incidentId: id, name: e.name, sourceKind: 'file', description: e.description, linkedSteps: [e.artifact] });
      }

      // The recorded CloudTrail logs, imported and analysed against the agent identity.
      await call('cloudtrail.setAgents', { incidentId: id, identities: [SAMPLE_AGENT.arn] });
      await call('cloudtrail.import', { incidentId: id, paths: [files.cloudtrail] });

      // The gap analysis, begun: two controls assessed, the rest left for the responder.
      await call('gap.assess', {
        id,
        controlId: 'AC-6',
        state: 'not-implemented',
        gap: 'SAMPLE: the automation identity held AdministratorAccess; nothing scoped it to the deployment it runs.',
        owner: 'Platform security',
        dueDate: '2026-12-31',
      });
      await call('gap.assess', {
        id,
        controlId: 'AC-2',
        state: 'partially-implemented',
        gap: 'SAMPLE: the identity is in the account inventory but has no owner and no review date.',
        owner: 'Identity team',
      });

      // The pre-incident baseline, captured from the known-good backup.
      let run = await call('validation.start', { kind: 'baseline', incidentId: id, target: { url: `sqlite:${backup}` }, linkedSteps: ['baseline-restored-backup'] });
      while (run.status === 'running') run = await call('validation.status', { runId: run.id, waitMs: 5000 });
      if (run.status !== 'done') throw new FirebreakError('internal', `The sample baseline did not complete: ${run.error ?? run.status}`);

      return new IncidentRepository(ctx.db).get(id) as Incident;
    },

    'sample.signOff': (input) => {
      const { auto, call } = generator(ctx, callAs, 'The sample signers could not sign');
      return signSample(auto, call, input);
    },

    'sample.restoreBackup': ({ id }) => {
      const actor = ctx.automated('sample generator');
      const incident = new IncidentRepository(ctx.db).get(id);
      if (!incident) throw notFound(`There is no incident ${id}.`);
      if (!incident.sample) throw new FirebreakError('conflict', `${id} is not a sample incident; Firebreak never writes to a real database.`);
      const dir = join(ctx.dataDir, 'samples', id);
      const backup = join(dir, 'chinook-backup.sqlite');
      const production = join(dir, 'chinook-production.sqlite');
      if (!existsSync(backup)) throw notFound(`The sample backup of ${id} is missing (${backup}).`);
      return ctx.change(
        actor,
        {
          scope: id,
          action: 'sample.backup-restored',
          subject: id,
          payload: { note: 'SAMPLE: the full backup was copied over the damaged production copy', restored: production },
        },
        () => {
          copyFileSync(backup, production);
          chmodSync(production, 0o644);
          return { incidentId: id, restored: production };
        },
      );
    },
  };
}

function sampleEvidence() {
  const policy = {
    _sample: 'SAMPLE evidence: fictional IAM snapshot for training',
    RoleName: 'sample-deploy-agent',
    AttachedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
    InlinePolicies: [{ PolicyName: 'db-maintenance', Statement: [{ Effect: 'Allow', Action: ['rds:*', 'dynamodb:*', 's3:*'], Resource: '*' }] }],
    PermissionsBoundary: null,
  };
  const report = [
    'user,arn,user_creation_time,password_enabled,access_key_1_active,access_key_1_last_used_date,access_key_1_last_used_service',
    `${SAMPLE_AGENT.name},${SAMPLE_AGENT.arn},2023-06-01T09:00:00+00:00,false,true,2023-07-10T12:25:00+00:00,ec2`,
  ].join('\n');
  return [
    { name: 'SAMPLE-iam-snapshot-sample-deploy-agent.json', artifact: 'iam-policy-snapshot', description: 'SAMPLE: fictional IAM role snapshot', content: `${JSON.stringify(policy, null, 2)}\n` },
    { name: 'SAMPLE-credential-report.csv', artifact: 'credential-report', description: 'SAMPLE: fictional credential report', content: `${report}\n` },
  ];
}
