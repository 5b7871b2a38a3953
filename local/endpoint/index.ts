import { realClock, type Clock } from '../core/clock';
import { startEndpoint, type Endpoint } from './server';
import type { StaticSite } from './static-site';
import { dynamodbServices } from './services/dynamodb';
import { kinesisService } from './services/kinesis';
import { s3Service } from './services/s3';
import { secretsManagerService } from './services/secrets-manager';
import { snsService } from './services/sns';
import { sqsService } from './services/sqs';
import { ssmService } from './services/ssm';

export { startEndpoint, type Endpoint, type EndpointOptions } from './server';
export type { StaticAsset, StaticSite } from './static-site';

/** Options of {@link startLocalEndpoint}. */
export interface LocalEndpointOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 4566 */
  readonly port?: number;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly accountId?: string;
  /** Drives every wait of the services (visibility, delays, long polls, TTL, retention). @default realClock */
  readonly clock?: Clock;
  /** A web page served for unsigned `GET /` and `GET /assets/…`. @default none */
  readonly staticSite?: StaticSite;
}

/**
 * Starts the endpoint with every AWS service the pipelines use: S3, SNS, SQS, Kinesis, DynamoDB,
 * DynamoDB Streams, Systems Manager Parameter Store and Secrets Manager. The engine adds Lambda and CloudFormation.
 */
export function startLocalEndpoint(opts: LocalEndpointOptions = {}): Promise<Endpoint> {
  const clock = opts.clock ?? realClock;
  const [dynamodb, dynamodbStreams] = dynamodbServices({ clock });
  return startEndpoint({
    port: opts.port,
    region: opts.region,
    accountId: opts.accountId,
    staticSite: opts.staticSite,
    services: [
      sqsService({ clock }),
      snsService({ clock }),
      s3Service({ clock }),
      kinesisService(),
      dynamodb,
      dynamodbStreams,
      ssmService({ clock }),
      secretsManagerService({ clock }),
    ],
  });
}
