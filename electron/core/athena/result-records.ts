import { RECORD_COLUMNS } from './queries';

/**
 * Rebuilds CloudTrail records from the high-risk query's rows, so they enter the event model exactly as a file from
 * the bucket would. Athena lower-cases names; CloudTrail's own spelling is put back, including inside the structs the
 * query returned as JSON. Text columns that hold JSON (requestParameters and the like) become objects again.
 */
const TOP: Record<string, string> = {
  eventversion: 'eventVersion',
  useridentity: 'userIdentity',
  eventtime: 'eventTime',
  eventsource: 'eventSource',
  eventname: 'eventName',
  awsregion: 'awsRegion',
  sourceipaddress: 'sourceIPAddress',
  useragent: 'userAgent',
  errorcode: 'errorCode',
  errormessage: 'errorMessage',
  requestparameters: 'requestParameters',
  responseelements: 'responseElements',
  additionaleventdata: 'additionalEventData',
  requestid: 'requestID',
  eventid: 'eventID',
  readonly: 'readOnly',
  resources: 'resources',
  eventtype: 'eventType',
  apiversion: 'apiVersion',
  recipientaccountid: 'recipientAccountId',
  serviceeventdetails: 'serviceEventDetails',
  sharedeventid: 'sharedEventID',
  vpcendpointid: 'vpcEndpointId',
  vpcendpointaccountid: 'vpcEndpointAccountId',
  eventcategory: 'eventCategory',
  sessioncredentialfromconsole: 'sessionCredentialFromConsole',
  tlsdetails: 'tlsDetails',
};

/** Names inside the structs (userIdentity, resources, tlsDetails). */
const NESTED: Record<string, string> = {
  principalid: 'principalId',
  accountid: 'accountId',
  invokedby: 'invokedBy',
  accesskeyid: 'accessKeyId',
  username: 'userName',
  onbehalfof: 'onBehalfOf',
  userid: 'userId',
  identitystorearn: 'identityStoreArn',
  sessioncontext: 'sessionContext',
  mfaauthenticated: 'mfaAuthenticated',
  creationdate: 'creationDate',
  sessionissuer: 'sessionIssuer',
  ec2roledelivery: 'ec2RoleDelivery',
  webidfederationdata: 'webIdFederationData',
  federatedprovider: 'federatedProvider',
  tlsversion: 'tlsVersion',
  ciphersuite: 'cipherSuite',
  clientprovidedhostheader: 'clientProvidedHostHeader',
};

const JSON_TEXT = new Set(['requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails']);

function respell(v: unknown, inResources: boolean, parent = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => respell(x, inResources, parent));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === null) continue;
    // CloudTrail spells a resource's ARN "ARN" and an identity's "arn"; a web identity's attributes map keeps its keys.
    const name = k === 'arn' ? (inResources ? 'ARN' : 'arn') : (NESTED[k] ?? k);
    out[name] = parent === 'webidfederationdata' && k === 'attributes' ? x : respell(x, inResources, k);
  }
  return out;
}

function parseJson(text: string, column: string, row: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`row ${row} of the results: column ${column} is not JSON`);
  }
}

/** The column order is the query's; a header that differs means the table is not the one Firebreak generates for. */
export function checkHeader(header: readonly string[]): void {
  const expected = RECORD_COLUMNS.map(([c]) => c);
  const got = header.slice(0, expected.length);
  if (got.join() !== expected.join()) throw new Error(`the results' columns are ${header.join(', ')}; expected ${expected.join(', ')} first`);
}

export function recordOfRow(values: ReadonlyArray<string | undefined>, row: number): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  RECORD_COLUMNS.forEach(([column, json], i) => {
    const v = values[i];
    if (v === undefined || v === null) return;
    const name = TOP[column] ?? column;
    if (json) record[name] = respell(parseJson(v, column, row), column === 'resources');
    else if (JSON_TEXT.has(column)) record[name] = v.startsWith('{') || v.startsWith('[') ? parseJson(v, column, row) : v;
    else if (column === 'readonly') record[name] = v === 'true' ? true : v === 'false' ? false : v;
    else record[name] = v;
  });
  return record;
}
