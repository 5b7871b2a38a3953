import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Clock } from '../../../local/core/clock';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { snsService } from '../../../local/endpoint/services/sns';
import { sqsService } from '../../../local/endpoint/services/sqs';
import { ssmService } from '../../../local/endpoint/services/ssm';
import { ACCOUNT, clientConfig, REGION } from '../test-clients';

export { ACCOUNT, clientConfig, REGION, uniqueName } from '../test-clients';

/** An endpoint on port 0 with the SQS, SNS and SSM services, and default-configured SDK clients. */
export interface Lab {
  readonly endpoint: Endpoint;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly ssm: SSMClient;
  stop(): Promise<void>;
}

export async function startLab(opts: { clock?: Clock } = {}): Promise<Lab> {
  const endpoint = await startEndpoint({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    services: [sqsService({ clock: opts.clock }), snsService({ clock: opts.clock }), ssmService()],
  });
  const config = clientConfig(endpoint);
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const ssm = new SSMClient(config);
  return {
    endpoint,
    sqs,
    sns,
    ssm,
    async stop() {
      sqs.destroy();
      sns.destroy();
      ssm.destroy();
      await endpoint.stop();
    },
  };
}
