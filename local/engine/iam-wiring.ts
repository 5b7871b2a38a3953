/**
 * Gives the engine's internal deliveries their AWS principal: S3, SNS and API Gateway invoke a
 * function as service principals (the function's `AWS::Lambda::Permission` must allow them), and
 * destinations are sent with the function's execution role. None of these go over HTTP, so the
 * endpoint's guard never sees them; the checks happen here, with the same {@link LocalIam}.
 */
import type { AsyncInvocationQueue } from '../async/async-invocation-queue';
import { parseArn, type DestinationSender } from '../async/destination-sender';
import type { InvocationOutcome, InvokeCall, Invoker } from '../core/contracts';
import { deniedMessage, type LocalIam, type Principal } from '../iam';

/** The error a refused delivery throws: the name the SDK would give it, AWS's message. */
export class AccessDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessDeniedException';
  }
}

type Queue = Pick<AsyncInvocationQueue, 'enqueue'>;

/** Throws unless the function's resource policy lets the service invoke it; unknown functions are left to Lambda. */
function checkInvoke(iam: LocalIam, principal: Principal & { kind: 'service' }, functionArn: string | undefined): void {
  if (functionArn === undefined) return;
  const decision = iam.decide(principal, 'lambda:InvokeFunction', functionArn);
  if (decision.allowed) return;
  const denial = { callerArn: principal.service, action: 'lambda:InvokeFunction', resource: functionArn, decision };
  iam.record({ ...denial, service: 'lambda' });
  const message = deniedMessage(denial).replace('no identity-based policy', 'no resource-based policy');
  throw new AccessDeniedError(message);
}

/**
 * The asynchronous queue as S3 and SNS reach it: an event is queued only if the function's
 * resource policy lets the service invoke it for that bucket or topic; otherwise `enqueue` throws
 * and the notifier records why on the timeline (S3 drops the event, SNS dead-letters it).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
 */
export function permittedQueue(
  queue: Queue,
  iam: LocalIam,
  functionArnOf: (name: string) => string | undefined,
  accountId: string,
): Queue {
  return {
    enqueue(functionName, payload, options) {
      const service =
        options.source === 's3' ? 's3.amazonaws.com' : options.source === 'sns' ? 'sns.amazonaws.com' : undefined;
      if (service) {
        checkInvoke(
          iam,
          { kind: 'service', service, sourceArn: options.resource, sourceAccount: accountId },
          functionArnOf(functionName),
        );
      }
      return queue.enqueue(functionName, payload, options);
    },
  };
}

/**
 * The invoker as API Gateway reaches it: the source ARN is the method's execute-api ARN
 * (`arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>`), which the function's
 * permission must match; a refusal fails the integration (500), as on AWS.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
export function permittedGatewayInvoker(
  invoker: Invoker,
  iam: LocalIam,
  functionArnOf: (name: string) => string | undefined,
  ids: { readonly region: string; readonly accountId: string },
): Invoker {
  return {
    async invoke(functionName: string, payload: string, call: InvokeCall): Promise<InvocationOutcome> {
      const event = JSON.parse(payload) as {
        path?: string;
        httpMethod?: string;
        requestContext?: { apiId?: string; stage?: string };
      };
      const ctx = event.requestContext ?? {};
      const sourceArn = `arn:aws:execute-api:${ids.region}:${ids.accountId}:${ctx.apiId}/${ctx.stage}/${event.httpMethod}${event.path ?? '/'}`;
      checkInvoke(
        iam,
        { kind: 'service', service: 'apigateway.amazonaws.com', sourceArn, sourceAccount: ids.accountId },
        functionArnOf(functionName),
      );
      return invoker.invoke(functionName, payload, call);
    },
  };
}

/** The IAM action and resource a destination delivery needs. */
function destinationCheck(targetArn: string, s3Key: string | undefined): [string, string] {
  const arn = parseArn(targetArn);
  switch (arn.service) {
    case 'sqs':
      return ['sqs:SendMessage', targetArn];
    case 'sns':
      return ['sns:Publish', targetArn];
    case 'lambda':
      return ['lambda:InvokeFunction', targetArn];
    case 's3':
      return ['s3:PutObject', `${targetArn}/${s3Key ?? 'aws/lambda/async/'}`];
    default:
      return [`${arn.service}:*`, targetArn];
  }
}

/**
 * The destination sender with the function's execution role: an invocation or on-failure record
 * (which names its function in `requestContext.functionArn`) is delivered only if the role may
 * send it; other messages (dead-letter bodies) pass.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-async-destinations
 */
export function permittedSender(sender: DestinationSender, iamOf: () => LocalIam | undefined): DestinationSender {
  return {
    async send(targetArn, message) {
      const iam = iamOf();
      const functionArn = iam && functionArnOfRecord(message.body);
      if (iam && functionArn) {
        const name = functionArn.replace(/^.*:function:([^:]+).*$/, '$1');
        const principal = iam.functionPrincipal(name);
        const [action, resource] = destinationCheck(targetArn, message.s3Key);
        const decision = iam.decide(principal, action, resource);
        if (!decision.allowed && principal.kind === 'role') {
          const denial = { callerArn: principal.sessionArn, action, resource, decision };
          iam.record({ ...denial, service: action.split(':')[0] ?? '', functionName: name });
          throw new AccessDeniedError(deniedMessage(denial));
        }
      }
      return sender.send(targetArn, message);
    },
  };
}

/**
 * The sender SNS uses for a subscription's dead-letter queue: SNS sends as `sns.amazonaws.com` for
 * its topic, so the queue's policy must allow it (the CDK adds one with `aws:SourceArn`).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-configure-dead-letter-queue.html
 */
export function permittedSnsDeadLetters(
  sender: DestinationSender,
  iam: LocalIam,
  accountId: string,
): DestinationSender {
  return {
    async send(targetArn, message) {
      let topicArn: string | undefined;
      try {
        topicArn = (JSON.parse(message.body) as { TopicArn?: string }).TopicArn;
      } catch {
        topicArn = undefined;
      }
      const principal = {
        kind: 'service',
        service: 'sns.amazonaws.com',
        sourceArn: topicArn,
        sourceAccount: accountId,
      } as const;
      const decision = iam.decide(principal, 'sqs:SendMessage', targetArn);
      if (!decision.allowed) {
        const denial = { callerArn: principal.service, action: 'sqs:SendMessage', resource: targetArn, decision };
        iam.record({ ...denial, service: 'sqs' });
        throw new AccessDeniedError(
          deniedMessage(denial).replace('no identity-based policy', 'no resource-based policy'),
        );
      }
      return sender.send(targetArn, message);
    },
  };
}

function functionArnOfRecord(body: string): string | undefined {
  if (!body.includes('"functionArn"')) return undefined;
  try {
    const record = JSON.parse(body) as { requestContext?: { functionArn?: unknown } };
    const arn = record.requestContext?.functionArn;
    return typeof arn === 'string' ? arn : undefined;
  } catch {
    return undefined;
  }
}
