/**
 * The map from a request the endpoint serves to the IAM action(s) and resource ARN(s) AWS authorizes
 * it against, following the Service Authorization Reference of each service. One table per service
 * (`./services/*`); this module reads the operation name the way each wire protocol carries it.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import { dynamodbStreamsTable, dynamodbTable } from './services/dynamodb';
import { kinesisTable } from './services/kinesis';
import { lambdaAccess } from './services/lambda';
import { s3Access } from './services/s3';
import { secretsManagerTable } from './services/secretsmanager';
import { snsTable } from './services/sns';
import { sqsTable } from './services/sqs';
import { ssmTable } from './services/ssm';
import type { AccessCheck, ArnContext, MappedRequest, ServiceTable } from './access';

export type { AccessCheck, ArnContext, MappedRequest } from './access';

const JSON_TABLES: Readonly<Record<string, ServiceTable>> = {
  dynamodb: dynamodbTable,
  dynamodbstreams: dynamodbStreamsTable,
  kinesis: kinesisTable,
  ssm: ssmTable,
  secretsmanager: secretsManagerTable,
  sqs: sqsTable,
};

const QUERY_TABLES: Readonly<Record<string, ServiceTable>> = { sns: snsTable, sqs: sqsTable };

function fromTable(table: ServiceTable, operation: string, input: Record<string, unknown>, ctx: ArnContext) {
  const rule = table.rules[operation];
  return rule ? rule(input, ctx) : [{ action: `${table.prefix}:${operation}`, resource: '*' }];
}

function jsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The checks one request needs, or `undefined` for a request the map does not know (the service
 * answers it; nothing is authorized locally for it, and the engine says so in its fidelity notes).
 */
export function accessChecksOf(req: MappedRequest, ctx: ArnContext): readonly AccessCheck[] | undefined {
  const target = req.headers['x-amz-target'];
  const json = JSON_TABLES[req.service];
  if (target && json) {
    const operation = target.slice(target.lastIndexOf('.') + 1);
    return fromTable(json, operation, jsonBody(req.body), ctx);
  }
  const query = QUERY_TABLES[req.service];
  if (query) {
    const form = req.method === 'POST' ? new URLSearchParams(req.body.toString('utf8')) : req.query;
    const operation = form.get('Action');
    if (!operation) return undefined;
    return fromTable(query, operation, Object.fromEntries(form), ctx);
  }
  if (req.service === 's3') return s3Access(req);
  if (req.service === 'lambda') return lambdaAccess(req, ctx);
  return undefined;
}
