import { randomUUID } from 'node:crypto';
import type { Decision } from './evaluate';

/** An answer in the endpoint's shape (the endpoint's `ServiceResponse` is structurally the same). */
export interface DeniedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a denial names. */
export interface Denial {
  /** The caller, e.g. `arn:aws:sts::000000000000:assumed-role/<role>/<function>`. */
  readonly callerArn: string;
  readonly action: string;
  readonly resource: string;
  readonly decision: Decision;
}

/**
 * AWS's access-denied message: `User: <caller> is not authorized to perform: <action> on resource:
 * <arn> because no identity-based policy allows the <action> action` (or `with an explicit deny in a
 * <type> policy`).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html#access-denied-error-messages
 */
export function deniedMessage(d: Denial, style: { quoteResource?: boolean; action?: string } = {}): string {
  const action = style.action ?? d.action;
  const resource = style.quoteResource ? `"${d.resource}"` : d.resource;
  const why =
    d.decision.reason === 'explicit-deny'
      ? `with an explicit deny in a ${d.decision.policyType ?? 'identity-based'} policy`
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${d.callerArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

const xml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function awsJson(status: number, type: string, message: string, extra: Record<string, string> = {}): DeniedResponse {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-errortype': type,
      'x-amzn-requestid': randomUUID(),
      ...extra,
    },
    body: JSON.stringify({ __type: `com.amazon.coral.service#${type}`, Message: message, message }),
  };
}

/**
 * The access-denied answer of each service, in its own protocol: `AccessDeniedException` for the
 * JSON services (DynamoDB, DynamoDB Streams, Kinesis, SSM, Secrets Manager) and Lambda, S3's 403
 * `AccessDenied` XML, SQS's `AccessDenied` (JSON protocol, query-compatible code), SNS's
 * `AuthorizationError`.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
 * @see https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors
 */
export function deniedResponse(service: string, d: Denial): DeniedResponse {
  const requestId = randomUUID();
  switch (service) {
    case 's3':
      return {
        status: 403,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body:
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>' +
          `<Message>${xml(deniedMessage(d, { quoteResource: true }))}</Message>` +
          `<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`,
      };
    case 'sns':
      return {
        status: 403,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body:
          '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>' +
          `<Code>AuthorizationError</Code><Message>${xml(deniedMessage(d, { action: snsAction(d.action) }))}</Message>` +
          `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'sqs':
      // SQS names actions in lower case in its messages (`sqs:sendmessage`).
      return awsJson(403, 'AccessDeniedException', deniedMessage(d, { action: d.action.toLowerCase() }), {
        'x-amzn-query-error': 'AccessDenied;Sender',
      });
    case 'lambda':
      return {
        status: 403,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': 'AccessDeniedException',
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ Type: 'User', Message: deniedMessage(d) }),
      };
    default:
      return awsJson(400, 'AccessDeniedException', deniedMessage(d));
  }
}

/** SNS writes its actions `SNS:Publish` in messages. */
function snsAction(action: string): string {
  return action.replace(/^sns:/i, 'SNS:');
}
