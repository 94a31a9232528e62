/**
 * The CloudTrail table in Athena, as AWS documents it ("Create the table for CloudTrail logs in Athena using partition
 * projection"): the same columns, SerDe and input format, and date projection over the day folders. AWS's example
 * covers one account and Region; for an organisation trail (or several accounts and Regions) the account and Region
 * folders are projected too, as enums, so a query names exactly the folders it reads and partitions are never loaded.
 */
export interface TableLocation {
  database: string;
  table: string;
  /** s3://bucket[/prefix] that holds AWSLogs/. */
  bucket: string;
  /** o-xxxxxxxxxx for an organisation trail, whose logs sit under AWSLogs/o-xxxxxxxxxx/ACCOUNT/. */
  organizationId: string | null;
  accounts: readonly string[];
  regions: readonly string[];
  /** First day the projection covers (yyyy/MM/dd); AWS's example starts at 2020/01/01. */
  firstDay: string;
}

/** The column list of AWS's documented table, verbatim in meaning (Athena lower-cases names). */
export const CLOUDTRAIL_COLUMNS = `    eventversion STRING,
    useridentity STRUCT<
        type: STRING,
        principalid: STRING,
        arn: STRING,
        accountid: STRING,
        invokedby: STRING,
        accesskeyid: STRING,
        username: STRING,
        onbehalfof: STRUCT<
             userid: STRING,
             identitystorearn: STRING>,
        sessioncontext: STRUCT<
            attributes: STRUCT<
                mfaauthenticated: STRING,
                creationdate: STRING>,
            sessionissuer: STRUCT<
                type: STRING,
                principalid: STRING,
                arn: STRING,
                accountid: STRING,
                username: STRING>,
            ec2roledelivery:string,
            webidfederationdata: STRUCT<
                federatedprovider: STRING,
                attributes: map<string,string>>
        >
    >,
    eventtime STRING,
    eventsource STRING,
    eventname STRING,
    awsregion STRING,
    sourceipaddress STRING,
    useragent STRING,
    errorcode STRING,
    errormessage STRING,
    requestparameters STRING,
    responseelements STRING,
    additionaleventdata STRING,
    requestid STRING,
    eventid STRING,
    readonly STRING,
    resources ARRAY<STRUCT<
        arn: STRING,
        accountid: STRING,
        type: STRING>>,
    eventtype STRING,
    apiversion STRING,
    recipientaccountid STRING,
    serviceeventdetails STRING,
    sharedeventid STRING,
    vpcendpointid STRING,
    vpcendpointaccountid STRING,
    eventcategory STRING,
    addendum STRUCT<
      reason:STRING,
      updatedfields:STRING,
      originalrequestid:STRING,
      originaleventid:STRING>,
    sessioncredentialfromconsole STRING,
    edgedevicedetails STRING,
    tlsdetails STRUCT<
      tlsversion:STRING,
      ciphersuite:STRING,
      clientprovidedhostheader:STRING>`;

/** Where AWSLogs/ begins, without a trailing slash: s3://bucket/prefix/AWSLogs[/o-id]. */
export function logsRoot(bucket: string, organizationId: string | null): string {
  const base = bucket.replace(/\/+$/, '');
  return `${base}/AWSLogs${organizationId ? `/${organizationId}` : ''}`;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function createTableDdl(t: TableLocation): string {
  const root = logsRoot(t.bucket, t.organizationId);
  const properties: Array<[string, string]> = [
    ['projection.enabled', 'true'],
    ['projection.account.type', 'enum'],
    ['projection.account.values', t.accounts.join(',')],
    ['projection.region.type', 'enum'],
    ['projection.region.values', t.regions.join(',')],
    ['projection.timestamp.format', 'yyyy/MM/dd'],
    ['projection.timestamp.interval', '1'],
    ['projection.timestamp.interval.unit', 'DAYS'],
    ['projection.timestamp.range', `${t.firstDay},NOW`],
    ['projection.timestamp.type', 'date'],
    ['storage.location.template', `${root}/\${account}/CloudTrail/\${region}/\${timestamp}`],
  ];
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${t.database}\`.\`${t.table}\`(`,
    CLOUDTRAIL_COLUMNS,
    ')',
    'PARTITIONED BY (account STRING, region STRING, `timestamp` STRING)',
    "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
    "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION ${quote(`${root}/`)}`,
    'TBLPROPERTIES (',
    properties.map(([k, v]) => `  ${quote(k)}=${quote(v)}`).join(',\n'),
    ')',
  ].join('\n');
}
