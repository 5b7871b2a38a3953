/** What the SigV4 credential scope names: `AKID/20261129/us-east-1/sqs/aws4_request`. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

const SCOPE = /Credential=([^/\s,]+)\/\d{8}\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;

/**
 * Reads the credential scope from the `Authorization` header or, for presigned URLs,
 * from the `X-Amz-Credential` query parameter.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
export function credentialScope(
  headers: Readonly<Record<string, string>>,
  query: URLSearchParams,
): CredentialScope | undefined {
  const auth = headers.authorization;
  const fromHeader = auth ? SCOPE.exec(auth) : null;
  if (fromHeader) return { accessKeyId: fromHeader[1]!, region: fromHeader[2]!, service: fromHeader[3]! };
  const presigned = query.get('X-Amz-Credential');
  if (presigned) {
    const [accessKeyId, , region, service] = presigned.split('/');
    if (accessKeyId && region && service) return { accessKeyId, region, service };
  }
  return undefined;
}

/** Services that SDKs sign as `dynamodb` but are told apart by their JSON target prefix. */
const TARGET_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['DynamoDBStreams_20120810.', 'dynamodbstreams'],
  ['DynamoDB_20120810.', 'dynamodb'],
  ['Kinesis_20131202.', 'kinesis'],
  ['AmazonSQS.', 'sqs'],
  ['AmazonSSM.', 'ssm'],
];

/**
 * The local service a request is for: the signing name, refined by `X-Amz-Target`
 * (DynamoDB Streams shares the `dynamodb` signing name), and the target prefix alone
 * for unsigned requests.
 */
export function serviceOf(
  headers: Readonly<Record<string, string>>,
  scope: CredentialScope | undefined,
): string | undefined {
  const target = headers['x-amz-target'] ?? '';
  const byTarget = TARGET_PREFIXES.find(([prefix]) => target.startsWith(prefix))?.[1];
  if (scope) return scope.service === 'dynamodb' && byTarget ? byTarget : scope.service;
  return byTarget;
}
