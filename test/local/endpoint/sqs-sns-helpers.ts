import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Clock } from '../../../local/clock';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { snsService } from '../../../local/endpoint/services/sns';
import { sqsService } from '../../../local/endpoint/services/sqs';
import { ssmService } from '../../../local/endpoint/services/ssm';

/** The region and account every test endpoint uses; ARNs and URLs must carry them. */
export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';

/** Only what a user sets: endpoint, region, dummy credentials (and maxAttempts 1 so errors surface at once). */
export function clientConfig(endpoint: Endpoint): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
} {
  return {
    endpoint: endpoint.url,
    region: REGION,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
}

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

let counter = 0;
/** A queue or topic name unique within the test run. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
