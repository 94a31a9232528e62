/**
 * An Athena-compatible HTTP server for tests: the real @aws-sdk/client-athena talks to it over HTTP on 127.0.0.1
 * (awsJson1.1, `X-Amz-Target: AmazonAthena.*`, SigV4 scoped to the athena service). It answers from precomputed
 * results chosen by the query text: a query goes through the states it is given (QUEUED, RUNNING...) one per
 * GetQueryExecution, then ends SUCCEEDED, FAILED with its reason, or CANCELLED; StopQueryExecution cancels it; results
 * page with NextToken (at most 1000 rows, the header first), generated row by row so a large result costs no memory.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PrecomputedAnswer {
  /** States reported before the end, one per GetQueryExecution (default: QUEUED, RUNNING). */
  states?: string[];
  end: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason?: string;
  bytesScanned?: number;
  columns?: string[];
  rowCount?: number;
  /** Row i of the results; undefined values are NULLs. */
  row?: (i: number) => Array<string | undefined>;
}

export interface AthenaRequest {
  target: string;
  body: Record<string, unknown>;
}

export interface AthenaTestServer {
  url: string;
  requests: AthenaRequest[];
  /** Executions by id: the query text and its state now. */
  executions: Map<string, { sql: string; state: string; polls: number }>;
  close(): Promise<void>;
}

export async function startAthenaServer(o: { accessKeys: string[]; answer: (sql: string) => PrecomputedAnswer }): Promise<AthenaTestServer> {
  const requests: AthenaRequest[] = [];
  const executions = new Map<string, { sql: string; state: string; polls: number; answer: PrecomputedAnswer }>();
  let next = 0;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, type: string, message: string) => send(res, status, { __type: type, Message: message });

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const cred = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
    if (!cred || !o.accessKeys.includes(cred[1] as string)) return fail(res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (cred[3] !== 'athena') return fail(res, 400, 'InvalidSignatureException', 'Credential should be scoped to correct service');
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    requests.push({ target, body });
    const execution = () => {
      const id = String(body.QueryExecutionId ?? '');
      const x = executions.get(id);
      if (!x) fail(res, 400, 'InvalidRequestException', `QueryExecution ${id} was not found`);
      return x ? { id, x } : null;
    };
    switch (target) {
      case 'AmazonAthena.StartQueryExecution': {
        const sql = String(body.QueryString ?? '');
        const id = `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
        executions.set(id, { sql, state: 'QUEUED', polls: 0, answer: o.answer(sql) });
        return send(res, 200, { QueryExecutionId: id });
      }
      case 'AmazonAthena.GetQueryExecution': {
        const found = execution();
        if (!found) return;
        const { id, x } = found;
        if (x.state !== 'CANCELLED') {
          const states = x.answer.states ?? ['QUEUED', 'RUNNING'];
          x.state = x.polls < states.length ? (states[x.polls] as string) : x.answer.end;
          x.polls++;
        }
        const done = x.state === 'SUCCEEDED' || x.state === 'FAILED' || x.state === 'CANCELLED';
        return send(res, 200, {
          QueryExecution: {
            QueryExecutionId: id,
            Query: x.sql,
            Status: {
              State: x.state,
              ...(x.state === 'FAILED' ? { StateChangeReason: x.answer.reason, AthenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false, ErrorMessage: x.answer.reason } } : {}),
            },
            Statistics: done ? { DataScannedInBytes: x.answer.bytesScanned ?? 0, EngineExecutionTimeInMillis: 1200 } : {},
          },
        });
      }
      case 'AmazonAthena.StopQueryExecution': {
        const found = execution();
        if (!found) return;
        found.x.state = 'CANCELLED';
        return send(res, 200, {});
      }
      case 'AmazonAthena.GetQueryResults': {
        const found = execution();
        if (!found) return;
        const { x } = found;
        if (x.state !== 'SUCCEEDED') return fail(res, 400, 'InvalidRequestException', `Query has not yet finished. Current state: ${x.state}`);
        const max = Math.min(1000, Number(body.MaxResults ?? 1000));
        const from = body.NextToken ? Number(body.NextToken) : 0;
        const columns = x.answer.columns ?? [];
        const total = x.answer.rowCount ?? 0;
        const rows: Array<{ Data: Array<{ VarCharValue?: string }> }> = [];
        // The header is the first row of the first page, as Athena returns it for SELECT.
        let i = from;
        if (from === 0 && columns.length) rows.push({ Data: columns.map((c) => ({ VarCharValue: c })) });
        for (; rows.length < max && i < total; i++) rows.push({ Data: (x.answer.row?.(i) ?? []).map((v) => (v === undefined ? {} : { VarCharValue: v })) });
        return send(res, 200, {
          ResultSet: { Rows: rows, ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c, Label: c, Type: 'varchar' })) } },
          ...(i < total ? { NextToken: String(i) } : {}),
        });
      }
      default:
        return fail(res, 400, 'UnknownOperationException', target);
    }
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => handle(req, res, raw));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    executions,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
