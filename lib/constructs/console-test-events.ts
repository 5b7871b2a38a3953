/**
 * The Lambda console's shareable test events, deployed with the stack.
 *
 * The console keeps them as schemas in the EventBridge schema registry `lambda-testevent-schemas`, one schema
 * `_<function name>-schema` per function (OpenAPI 3 content, one example per test event). The registry exists
 * once per account and region and the console creates it on first use, so no stack may own it:
 * {@link TestEventRegistry} creates it only if it is missing and never deletes it, and each stack owns only its
 * own functions' schemas, which `cdk destroy` removes.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/testing-functions.html#creating-shareable-events
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-schema-registry.html
 */
import { Aws, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** The registry the Lambda console reads shareable test events from. */
export const TEST_EVENT_REGISTRY = 'lambda-testevent-schemas';

/** Properties of a {@link TestEventRegistry}. */
export interface TestEventRegistryProps {
  /** Retention of the log group of the CDK's custom resource function, in days. */
  readonly logRetentionDays: number;
}

/**
 * Makes sure `lambda-testevent-schemas` exists: `CreateRegistry` on create, a `ConflictException` (it exists
 * already, made by the console or another student's stack) counts as success, and nothing happens on update or
 * delete, so no stack ever removes the registry the others use.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/schema-reference/v1-registries-name-registryname.html
 */
export class TestEventRegistry extends Construct {
  /** The custom resource; schemas depend on it. */
  public readonly resource: AwsCustomResource;

  constructor(scope: Construct, id: string, props: TestEventRegistryProps) {
    super(scope, id);
    const registryArn = `arn:${Aws.PARTITION}:schemas:${Aws.REGION}:${Aws.ACCOUNT_ID}:registry/${TEST_EVENT_REGISTRY}`;
    this.resource = new AwsCustomResource(this, 'Ensure', {
      onCreate: {
        service: 'Schemas',
        action: 'CreateRegistry',
        parameters: {
          RegistryName: TEST_EVENT_REGISTRY,
          Description: 'Shareable test events of the Lambda console',
        },
        physicalResourceId: PhysicalResourceId.of(TEST_EVENT_REGISTRY),
        ignoreErrorCodesMatching: 'ConflictException',
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [registryArn] }),
      installLatestAwsSdk: false,
      logGroup: new LogGroup(this, 'Logs', {
        retention: props.logRetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
  }
}

/** Properties of {@link ConsoleTestEvents}. */
export interface ConsoleTestEventsProps {
  /** The function the events are for. */
  readonly function: IFunction;
  /** The events by name (as the console lists them); values may contain tokens. */
  readonly events: Readonly<Record<string, unknown>>;
  /** The registry construct, so the schema is created after it. */
  readonly registry: TestEventRegistry;
}

/** The function's shareable test events: the schema `_<function name>-schema` in the console's registry. */
export class ConsoleTestEvents extends Construct {
  /** The schema resource. */
  public readonly schema: CfnSchema;

  constructor(scope: Construct, id: string, props: ConsoleTestEventsProps) {
    super(scope, id);
    this.schema = new CfnSchema(this, 'Schema', {
      registryName: TEST_EVENT_REGISTRY,
      schemaName: Fn.join('', ['_', props.function.functionName, '-schema']),
      type: 'OpenApi3',
      description: 'Shareable test events, one per failure drill (Lambda Pipelines Lab)',
      content: Stack.of(this).toJsonString(testEventDocument(props.events)),
    });
    this.schema.node.addDependency(props.registry.resource);
  }
}

/** A JSON schema (OpenAPI 3.0 flavour) of the top level every example shares. */
function topLevelSchema(examples: readonly unknown[]): Record<string, unknown> {
  const objects = examples.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null);
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  const typeOf = (v: unknown): string =>
    Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v;
  const properties = Object.fromEntries(
    keys.map((key) => {
      const types = [...new Set(objects.filter((o) => key in o).map((o) => typeOf(o[key])))];
      const concrete = types.filter((t) => t !== 'null');
      // OpenAPI 3.0 has no null type: `nullable` qualifies a single type; a mixed or always-null value is left open
      if (concrete.length !== 1) return [key, {}];
      return [key, types.includes('null') ? { type: concrete[0], nullable: true } : { type: concrete[0] }];
    }),
  );
  const required = keys.filter((key) => objects.every((o) => key in o));
  return { type: 'object', required, properties };
}

/**
 * The schema content the console reads: OpenAPI 3.0 with the event's schema under `components.schemas.Event`
 * and each test event under `components.examples.<name>.value`.
 */
export function testEventDocument(events: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    openapi: '3.0.0',
    info: { version: '1.0.0', title: 'Event' },
    paths: {},
    components: {
      schemas: { Event: topLevelSchema(Object.values(events)) },
      examples: Object.fromEntries(Object.entries(events).map(([name, value]) => [name, { value }])),
    },
  };
}
