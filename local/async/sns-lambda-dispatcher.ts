import type { LabBus, SnsLambdaDelivery } from '../endpoint/types';
import type { AsyncInvocationQueue } from './async-invocation-queue';
import { type DestinationSender, parseFunctionArn } from './destination-sender';
import { buildSnsDeadLetterBody, buildSnsEvent } from './sns-event';
import { type EngineLogger, silentLogger, type TimelineWriter } from './types';

/** Settings of an {@link SnsLambdaDispatcher}. */
export interface SnsLambdaDispatcherOptions {
  /** The endpoint's bus; the dispatcher listens for `'sns:lambda'`. */
  readonly bus: LabBus;
  readonly queue: Pick<AsyncInvocationQueue, 'enqueue'>;
  /** Sends undeliverable messages to the subscription's dead-letter queue. */
  readonly sender: DestinationSender;
  readonly timeline: TimelineWriter;
  readonly region: string;
  /** @default silent */
  readonly logger?: EngineLogger;
}

/**
 * SNS → Lambda: each delivery of the local SNS service to a Lambda subscription (filter policies
 * already applied) becomes an SNS event in Lambda's asynchronous queue, where function errors are
 * retried by Lambda and end in the function's DLQ or destination.
 *
 * When the function cannot be invoked (it does not exist), SNS treats it as a client-side error:
 * no retries, and the message goes to the subscription's dead-letter queue (its RedrivePolicy),
 * else it is discarded.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
 */
export class SnsLambdaDispatcher {
  private readonly listener = (delivery: SnsLambdaDelivery): void => {
    void this.handle(delivery);
  };

  constructor(private readonly options: SnsLambdaDispatcherOptions) {
    options.bus.on('sns:lambda', this.listener);
  }

  /** Delivers one message; resolves once it is queued, dead-lettered or discarded. Never rejects. */
  async handle(delivery: SnsLambdaDelivery): Promise<'queued' | 'dead-lettered' | 'discarded'> {
    const { queue, timeline, region } = this.options;
    const logger = this.options.logger ?? silentLogger;
    const summary = `SNS message ${delivery.messageId}`;
    let functionName = delivery.functionArn;
    let reason: string;
    try {
      functionName = parseFunctionArn(delivery.functionArn).name;
      const payload = JSON.stringify(buildSnsEvent(delivery, { region }));
      queue.enqueue(functionName, payload, { source: 'sns', resource: delivery.topicArn, summary });
      return 'queued';
    } catch (err) {
      reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }

    const eventId = timeline.start({
      source: 'sns',
      functionName,
      resource: delivery.topicArn,
      summary,
      detail: { subscriptionArn: delivery.subscriptionArn },
    });
    const target = delivery.deadLetterTargetArn;
    if (target) {
      try {
        await this.options.sender.send(target, { body: buildSnsDeadLetterBody(delivery, { region }) });
        timeline.finish(eventId, 'dead-lettered', {
          kind: 'dead-letter',
          functionName,
          detail: {
            target,
            reason: `SNS could not deliver to the function (client-side error, not retried): ${reason}`,
          },
        });
        return 'dead-lettered';
      } catch (err) {
        const text = err instanceof Error ? err.message : String(err);
        logger.warn(`SNS subscription DLQ ${target} unreachable: ${text}`);
        reason = `${reason}; the subscription dead-letter queue failed: ${text}`;
      }
    }
    logger.warn(`SNS delivery ${delivery.messageId} to ${delivery.functionArn} discarded: ${reason}`);
    timeline.finish(eventId, 'discarded', {
      kind: 'discarded',
      functionName,
      detail: {
        reason: `SNS could not deliver to the function and the subscription has no usable dead-letter queue: ${reason}`,
      },
    });
    return 'discarded';
  }

  /** Stops listening to the bus. */
  stop(): void {
    this.options.bus.off('sns:lambda', this.listener);
  }
}
