/** CloudTrail records of the agent role ai-agent-prod acting on DynamoDB, as the IAM tests import them. */
export const AGENT_ACCOUNT = '111122223333';
export const AGENT_ROLE_ARN = `arn:aws:iam::${AGENT_ACCOUNT}:role/ai-agent-prod`;

export function agentDynamoEvent(n: number, at: string, eventName: string, errorCode?: string, idPrefix = '11111111') {
  return {
    eventVersion: '1.11',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEAGENT00001:run-9',
      arn: `arn:aws:sts::${AGENT_ACCOUNT}:assumed-role/ai-agent-prod/run-9`,
      accountId: AGENT_ACCOUNT,
      sessionContext: { sessionIssuer: { type: 'Role', arn: AGENT_ROLE_ARN, userName: 'ai-agent-prod' } },
    },
    eventTime: at,
    eventSource: 'dynamodb.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-sdk-js/3.600.0',
    requestParameters: { tableName: 'orders' },
    resources: [{ ARN: `arn:aws:dynamodb:us-east-1:${AGENT_ACCOUNT}:table/orders`, type: 'AWS::DynamoDB::Table' }],
    ...(errorCode ? { errorCode, errorMessage: 'explicit deny' } : {}),
    eventID: `${idPrefix}-0000-4000-8000-${String(n).padStart(12, '0')}`,
    eventType: 'AwsApiCall',
    recipientAccountId: AGENT_ACCOUNT,
  };
}

/** An ISO time `s` seconds after `iso`, to the second as CloudTrail writes it. */
export const plusSeconds = (iso: string, s: number) => new Date(Date.parse(iso) + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
