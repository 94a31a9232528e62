/**
 * One incident told three ways, each by the real library that would record it: an operations agent asked to free disk
 * space on staging lists the databases, decides prod-orders is unused, deletes it and drops a table. Its traces come
 * from the OpenTelemetry JS SDK (GenAI attributes, serialised by otlp-transformer's JSON serializer) and from the
 * langsmith SDK posting to a LangSmith stand-in on 127.0.0.1; the cloud's side is a CloudTrail export of the same calls.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client } from 'langsmith';
import { traceable } from 'langsmith/traceable';

export const ACCOUNT = '111122223333';
export const AGENT_ROLE = 'ops-agent';
export const AGENT_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${AGENT_ROLE}`;
export const DATABASE = 'prod-orders';
/** AWS's documentation example key: the model repeats it, and no output may. */
export const LEAKED_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const DECISION = `prod-orders has had no connections for 30 days, so it is unused. I will delete it with key ${LEAKED_KEY} to free space.`;

/** When each tool ran (ms), so the CloudTrail export can put the cloud's side at the same moments. */
export interface ToolTimes {
  describe: number;
  delete: number;
  sql: number;
}

/** The OpenTelemetry side: invoke_agent > chat, execute_tool, chat, execute_tool (x2), all at the times given. */
export function otlpScenario(t0: number): { json: string; times: ToolTimes } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'ops-agent', 'cloud.account.id': ACCOUNT, 'aws.iam.role': AGENT_ROLE_ARN }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('ops-agent', '1.0.0');
  const agent = tracer.startSpan('invoke_agent ops-agent', { startTime: t0, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'ops-agent' } });
  const inAgent = trace.setSpan(context.active(), agent);
  const chat = (at: number, text: string) =>
    tracer
      .startSpan('chat gpt-4o', { startTime: at, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: text }] }]) } }, inAgent)
      .end(at + 800);
  const tool = (at: number, name: string, args: unknown, result: unknown, id: string) =>
    tracer
      .startSpan(`execute_tool ${name}`, { startTime: at, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name, 'gen_ai.tool.call.id': id, 'gen_ai.tool.call.arguments': JSON.stringify(args), 'gen_ai.tool.call.result': JSON.stringify(result) } }, inAgent)
      .end(at + 1500);
  const times = { describe: t0 + 1_000, delete: t0 + 5_000, sql: t0 + 8_000 };
  chat(t0 + 100, 'Let me list the database instances.');
  tool(times.describe, 'describe_db_instances', {}, { DBInstances: [{ DBInstanceIdentifier: DATABASE }] }, 'call_1');
  chat(t0 + 3_000, DECISION);
  tool(times.delete, 'delete_db_instance', { DBInstanceIdentifier: DATABASE, SkipFinalSnapshot: true }, { DBInstanceStatus: 'deleting' }, 'call_2');
  tool(times.sql, 'run_sql', { sql: 'DROP TABLE orders_archive' }, { ok: true }, 'call_3');
  agent.end(t0 + 10_000);
  return { json: new TextDecoder().decode(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans())), times };
}

/**
 * The LangSmith side: a nested `traceable` chain with llm and tool runs, recorded by the SDK as it posts them to an
 * endpoint started here (`LANGSMITH_TRACING=true`). A person approves before the delete. Returns each request body.
 */
export async function langsmithScenario(): Promise<{ bodies: string[]; times: ToolTimes }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      // No multipart endpoint: the SDK then sends its runs as JSON batches of post and patch.
      if (req.url?.startsWith('/info')) return res.end(JSON.stringify({ version: '0.10.0', batch_ingest_config: { use_multipart_endpoint: false }, instance_flags: {} }));
      if (req.url?.startsWith('/runs')) bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const before = process.env.LANGSMITH_TRACING;
  process.env.LANGSMITH_TRACING = 'true';
  try {
    const client = new Client({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'lsv2-test-not-a-key' });
    const times: ToolTimes = { describe: 0, delete: 0, sql: 0 };
    const llm = traceable(async (text: string, _messages: unknown) => ({ choices: [{ index: 0, message: { role: 'assistant', content: text } }] }), { name: 'ChatOpenAI', run_type: 'llm', client });
    const describe = traceable(
      async () => {
        times.describe = Date.now();
        return { DBInstances: [{ DBInstanceIdentifier: DATABASE }] };
      },
      { name: 'describe_db_instances', run_type: 'tool', client },
    );
    const approval = traceable(async (question: string) => ({ approved: true, by: 'dana.reyes', question }), { name: 'request_human_approval', run_type: 'tool', client });
    const remove = traceable(
      async (args: { DBInstanceIdentifier: string; SkipFinalSnapshot: boolean }) => {
        times.delete = Date.now();
        return { DBInstanceStatus: 'deleting', id: args.DBInstanceIdentifier };
      },
      { name: 'delete_db_instance', run_type: 'tool', client },
    );
    const sql = traceable(
      async (_args: { sql: string }) => {
        times.sql = Date.now();
        return { ok: true };
      },
      { name: 'run_sql', run_type: 'tool', client },
    );
    const agent = traceable(
      async (task: string) => {
        await llm('Let me list the database instances.', [{ role: 'user', content: task }]);
        await describe();
        await llm(DECISION, [{ role: 'user', content: task }]);
        await approval(`Delete ${DATABASE}?`);
        await remove({ DBInstanceIdentifier: DATABASE, SkipFinalSnapshot: true });
        await sql({ sql: 'DROP TABLE orders_archive' });
        return 'done';
      },
      { name: 'ops-agent', run_type: 'chain', client, metadata: { aws_role_arn: AGENT_ROLE_ARN } },
    );
    await agent('Free up disk space on staging');
    await client.awaitPendingTraceBatches();
    return { bodies, times };
  } finally {
    if (before === undefined) delete process.env.LANGSMITH_TRACING;
    else process.env.LANGSMITH_TRACING = before;
    await new Promise<void>((done) => server.close(() => done()));
  }
}

const eventTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The cloud's side of the scenario as a CloudTrail export, plus a deletion no tool call made (a minute after the last). */
export function cloudTrailOf(times: ToolTimes, idPrefix: string): { Records: Array<Record<string, unknown>> } {
  const identity = {
    type: 'AssumedRole',
    principalId: `AROAOPSAGENT00000001:${AGENT_ROLE}-run`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${AGENT_ROLE}/${AGENT_ROLE}-run`,
    accountId: ACCOUNT,
    accessKeyId: 'ASIAOPSAGENT0000TEST',
    sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAOPSAGENT00000001', arn: AGENT_ROLE_ARN, accountId: ACCOUNT, userName: AGENT_ROLE }, attributes: { creationDate: eventTime(times.describe - 60_000), mfaAuthenticated: 'false' } },
  };
  const record = (id: string, ms: number, eventSource: string, eventName: string, readOnly: boolean, requestParameters: Record<string, unknown>) => ({
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: eventTime(ms),
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '10.0.4.12',
    userAgent: 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 lang/python#3.12.1',
    requestParameters,
    responseElements: null,
    requestID: `${idPrefix}-req-${id}`,
    eventID: `${idPrefix}-${id}`,
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  });
  return {
    Records: [
      record('describe', times.describe + 200, 'rds.amazonaws.com', 'DescribeDBInstances', true, {}),
      record('delete-db', times.delete + 300, 'rds.amazonaws.com', 'DeleteDBInstance', false, { dBInstanceIdentifier: DATABASE, skipFinalSnapshot: true }),
      record('delete-bucket', times.sql + 1_500 + 120_000, 's3.amazonaws.com', 'DeleteBucket', false, { bucketName: 'orders-backups', Host: 'orders-backups.s3.amazonaws.com' }),
    ],
  };
}
