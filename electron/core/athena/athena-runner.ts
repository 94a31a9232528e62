import { randomUUID } from 'node:crypto';
import type * as AthenaSdk from '@aws-sdk/client-athena';
import { FirebreakError } from '../errors';

export interface AthenaTarget {
  /** The Region Athena runs in (where the workgroup and the table's catalog are). */
  region: string;
  profile?: string;
  /** An Athena-compatible endpoint (tests, VPC endpoints). */
  endpoint?: string;
  database: string;
  workgroup?: string;
  /** s3:// location for results, when the workgroup does not set one. */
  output?: string;
}

/** How often to ask whether a query is done: quickly at first (small queries finish in a second), then less. */
export interface Polling {
  firstMs: number;
  maxMs: number;
  factor: number;
}
export const ATHENA_POLLING: Polling = { firstMs: 250, maxMs: 5000, factor: 1.6 };

export interface Finished {
  executionId: string;
  bytesScanned: number;
  /** Athena's own engine time: with bytesScanned, the scan rate a responder's account actually gets. */
  engineMs: number;
}

const PAGE = 1000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** AWS errors as the responder reads them: what Athena said, not the SDK's class name. */
function refused(e: unknown, what: string): FirebreakError {
  const err = e as { name?: string; message?: string };
  if (err.name === 'CredentialsProviderError' || /Could not load credentials/i.test(err.message ?? '')) {
    return new FirebreakError('unavailable', `No AWS credentials for Athena: ${err.message}. Use --profile, or the SDK's default chain.`);
  }
  return new FirebreakError('unavailable', `Athena refused ${what}: ${err.name ?? 'Error'}: ${err.message ?? String(e)}`);
}

/**
 * One Athena session: start a query, poll it with back-off until it ends, stop it when the caller cancels, and page
 * its results. Nothing here knows about incidents; run.ts records what it returns.
 */
export class AthenaRunner {
  // The SDK loads on first use, so CLI commands that never reach Athena do not pay for loading it.
  private session: Promise<{ client: AthenaSdk.AthenaClient; sdk: typeof AthenaSdk }> | undefined;

  constructor(
    private readonly target: AthenaTarget,
    private readonly polling: Polling = ATHENA_POLLING,
  ) {}

  private open() {
    this.session ??= import('@aws-sdk/client-athena').then((sdk) => ({
      sdk,
      client: new sdk.AthenaClient({
        region: this.target.region,
        ...(this.target.endpoint ? { endpoint: this.target.endpoint } : {}),
        ...(this.target.profile ? { profile: this.target.profile } : {}),
      }),
    }));
    return this.session;
  }

  /** Runs one statement to its end; cancelled work is stopped in Athena too, so it stops costing. */
  async run(sql: string, o: { signal?: AbortSignal; onState?: (state: string, executionId: string) => void } = {}): Promise<Finished> {
    if (o.signal?.aborted) throw new FirebreakError('cancelled', 'Cancelled before the query was sent to Athena.');
    let executionId: string;
    const { client, sdk } = await this.open();
    try {
      const started = await client.send(
        new sdk.StartQueryExecutionCommand({
          QueryString: sql,
          ClientRequestToken: randomUUID(),
          QueryExecutionContext: { Database: this.target.database },
          ...(this.target.workgroup ? { WorkGroup: this.target.workgroup } : {}),
          ...(this.target.output ? { ResultConfiguration: { OutputLocation: this.target.output } } : {}),
        }),
      );
      if (!started.QueryExecutionId) throw new Error('no QueryExecutionId in the answer');
      executionId = started.QueryExecutionId;
    } catch (e) {
      throw refused(e, 'to start the query');
    }
    let wait = this.polling.firstMs;
    for (;;) {
      try {
        await sleep(wait, o.signal);
      } catch {
        await this.stop(executionId);
        throw new FirebreakError('cancelled', `Cancelled: query ${executionId} was stopped in Athena (StopQueryExecution).`);
      }
      wait = Math.min(this.polling.maxMs, Math.round(wait * this.polling.factor));
      let execution;
      try {
        execution = (await client.send(new sdk.GetQueryExecutionCommand({ QueryExecutionId: executionId }))).QueryExecution;
      } catch (e) {
        throw refused(e, `to say how query ${executionId} is doing`);
      }
      const state = execution?.Status?.State ?? 'UNKNOWN';
      o.onState?.(state, executionId);
      if (state === 'SUCCEEDED') return { executionId, bytesScanned: execution?.Statistics?.DataScannedInBytes ?? 0, engineMs: execution?.Statistics?.EngineExecutionTimeInMillis ?? 0 };
      if (state === 'FAILED') {
        const reason = execution?.Status?.AthenaError?.ErrorMessage ?? execution?.Status?.StateChangeReason ?? 'no reason given';
        throw new FirebreakError('check-failed', `Athena query ${executionId} failed: ${reason}`);
      }
      if (state === 'CANCELLED') {
        throw new FirebreakError('cancelled', `Athena query ${executionId} was cancelled outside Firebreak${execution?.Status?.StateChangeReason ? `: ${execution.Status.StateChangeReason}` : ''}.`);
      }
    }
  }

  private async stop(executionId: string): Promise<void> {
    try {
      const { client, sdk } = await this.open();
      await client.send(new sdk.StopQueryExecutionCommand({ QueryExecutionId: executionId }));
    } catch {
      // The query may have ended meanwhile; the cancel stands either way.
    }
  }

  /** The result rows page by page (header first), each value as text or undefined for NULL. Memory: one page. */
  async *rows(executionId: string, signal?: AbortSignal): AsyncGenerator<Array<string | undefined>> {
    let token: string | undefined;
    const { client, sdk } = await this.open();
    do {
      if (signal?.aborted) throw new FirebreakError('cancelled', `Cancelled while reading the results of ${executionId}.`);
      let page;
      try {
        page = await client.send(new sdk.GetQueryResultsCommand({ QueryExecutionId: executionId, MaxResults: PAGE, ...(token ? { NextToken: token } : {}) }));
      } catch (e) {
        throw refused(e, `the results of ${executionId}`);
      }
      for (const row of page.ResultSet?.Rows ?? []) yield (row.Data ?? []).map((d) => d.VarCharValue);
      token = page.NextToken;
    } while (token);
  }

  destroy(): void {
    void this.session?.then(({ client }) => client.destroy());
  }
}
