import type { AssemblyModel, EventSourceMappingModel, FunctionModel, StackModel } from '../assembly/model';
import { readAssembly } from '../assembly/read-assembly';
import { AsyncInvocationQueue } from '../async/async-invocation-queue';
import { asyncConfigResolver } from '../async/config';
import { SdkDestinationSender } from '../async/destination-sender';
import { S3Notifier } from '../async/s3-notifier';
import { SnsLambdaDispatcher } from '../async/sns-lambda-dispatcher';
import { RestApiGateway } from '../apigateway/rest-api-gateway';
import { REST_API_PREFIX } from '../apigateway/router';
import { ScaledClock } from '../core/clock';
import { startLocalEndpoint, type Endpoint } from '../endpoint';
import { startPollers, type RunningPollers } from '../pollers';
import { LambdaRuntime } from '../runtime';
import { deploy } from './deployer';
import { cloudFormationService } from './cloudformation-service';
import { TimelineInvoker } from './invoker';
import { mountLabApi } from './lab-api';
import { lambdaService } from './lambda-service';
import { ensureAssembly } from './synth';
import { Timeline } from '../core/timeline';

/** Options of {@link startEngine}. */
export interface EngineOptions {
  /** Endpoint port on 127.0.0.1; 0 picks a free one. @default 4566 */
  readonly port?: number;
  /** Stack name prefix to synthesize and deploy. @default 'local' */
  readonly owner?: string;
  /** Virtual seconds per real second. @default 60 */
  readonly timeScale?: number;
  /** Deploy the app; false serves the endpoint alone. @default true */
  readonly deploy?: boolean;
  /** Synthesize even if cdk.out is up to date. @default false */
  readonly forceSynth?: boolean;
  /** The project root (cdk.json, bin/app.ts). */
  readonly projectDir: string;
  /** @default `<projectDir>/cdk.out` */
  readonly cdkOut?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly accountId?: string;
  /** Progress lines. @default silent */
  readonly log?: (line: string) => void;
}

/** A running engine. */
export interface Engine {
  readonly endpoint: Endpoint;
  readonly url: string;
  readonly clock: ScaledClock;
  readonly timeline: Timeline;
  readonly runtime: LambdaRuntime;
  /** The deployed assembly, when the app was deployed. */
  readonly model?: AssemblyModel;
  /** Stacks, functions, API URLs and the line to copy, as `npm start` prints them. */
  describe(): string;
  stop(): Promise<void>;
}

/**
 * Credentials and settings every function and every SDK call of the engine uses: the endpoint
 * checks the shape of signatures, not secrets.
 */
const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: 'local' };

/**
 * Starts the local engine: the endpoint with every service, the Lambda and CloudFormation APIs,
 * the function runtime, and — unless `deploy` is false — the app synthesized from `cdk.out`,
 * deployed onto the endpoint with its API Gateway stages, asynchronous triggers and pollers.
 */
export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const log = opts.log ?? (() => undefined);
  const region = opts.region ?? 'us-east-1';
  const accountId = opts.accountId ?? '000000000000';
  const owner = opts.owner ?? 'local';
  const clock = new ScaledClock(opts.timeScale ?? 60);
  const endpoint = await startLocalEndpoint({ port: opts.port, region, accountId, clock });
  const timeline = new Timeline(clock);
  const runtime = new LambdaRuntime({
    region,
    accountId,
    engineEnvironment: {
      ...DUMMY_CREDENTIALS,
      AWS_ENDPOINT_URL: endpoint.url,
      // The host runs Node.js 20 for a nodejs24.x function; the SDK's warning about the host is noise here.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  const invoker = new TimelineInvoker(runtime, timeline);
  const state: { model?: AssemblyModel; functions: FunctionModel[]; mappings: EventSourceMappingModel[] } = {
    functions: [],
    mappings: [],
  };
  let configFor: ReturnType<typeof asyncConfigResolver> = () => undefined;
  const abort = new AbortController();
  const sender = new SdkDestinationSender({
    endpointUrl: endpoint.url,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    invokeAsync: (functionName, payload) => {
      queue.enqueue(functionName, payload, { source: 'destination', summary: `Destination invoke ${functionName}` });
    },
  });
  const queue = new AsyncInvocationQueue({ invoker, clock, timeline, sender, configFor: (name) => configFor(name) });
  let pollers: RunningPollers | undefined;
  const closers: Array<() => void> = [];

  const stop = async (): Promise<void> => {
    abort.abort();
    for (const close of closers) close();
    await pollers?.stop();
    queue.stop();
    sender.close();
    await runtime.stop();
    await endpoint.stop();
  };

  try {
    endpoint.addService(
      lambdaService({
        functions: () => state.functions,
        mappings: () => state.mappings,
        invokeConfigs: () => state.model?.stacks.flatMap((s) => s.eventInvokeConfigs) ?? [],
        mappingState: (uuid) => (pollers?.pollers.has(uuid) ? 'Enabled' : 'Disabled'),
        invoker,
        timeline,
        enqueueAsync: (functionName, payload, eventId) =>
          queue.enqueue(functionName, payload, { source: 'invoke', eventId }),
      }),
    );
    endpoint.addService(cloudFormationService({ model: () => state.model }));
    mountLabApi(endpoint, timeline, {
      stacks: () => state.model?.stacks.map(stackView) ?? [],
      functions: () => runtime.stats(),
      // Read-only: lets a client scale expected waits (e.g. `npm run verify -- --local`).
      clock: () => ({ timeScale: clock.scale, now: clock.now() }),
    });

    if (opts.deploy !== false) {
      const assembly = await ensureAssembly({
        projectDir: opts.projectDir,
        outDir: opts.cdkOut,
        owner,
        force: opts.forceSynth,
      });
      log(
        assembly.synthesized
          ? `Synthesized the app for owner '${owner}' in ${assembly.ms} ms (${assembly.reason}).`
          : `Reusing ${assembly.outDir} (up to date).`,
      );
      const read = readAssembly(assembly.outDir, { region, accountId, endpointUrl: endpoint.url, owner });
      const unsupported = read.stacks.flatMap((s) =>
        s.resources
          .filter((r) => r.disposition === 'unsupported')
          .map((r) => `${s.stackName}/${r.logicalId} (${r.type})`),
      );
      if (unsupported.length > 0) {
        throw new Error(
          `The templates use resource types the local engine does not support: ${unsupported.join(', ')}`,
        );
      }
      const deployed = await deploy(read, { endpointUrl: endpoint.url, region });
      const model = deployed.model;
      state.model = model;
      for (const stack of model.stacks) {
        for (const fn of stack.functions) {
          runtime.register({
            name: fn.name,
            arn: fn.arn,
            handler: fn.handler,
            codeDir: fn.codeDir,
            runtime: fn.runtime,
            timeoutSeconds: fn.timeoutSeconds,
            memorySizeMb: fn.memorySizeMb,
            environment: fn.environment,
            reservedConcurrency: fn.reservedConcurrency,
            logGroupName: fn.logGroupName,
          });
        }
      }
      state.functions = model.stacks.flatMap((s) => [...s.functions]);
      state.mappings = model.stacks.flatMap((s) => [...s.eventSourceMappings]);
      configFor = asyncConfigResolver(model);

      const gateway = new RestApiGateway({
        apis: model.stacks.flatMap((s) => [...s.restApis]),
        invoker,
        clock,
        timeline,
        accountId,
        region,
      });
      endpoint.addRoute(REST_API_PREFIX, (req) => gateway.handle(req));
      const s3 = new S3Notifier({
        bus: endpoint.bus,
        buckets: model.stacks.flatMap((s) => [...s.buckets]),
        queue,
        timeline,
        region,
        accountId,
      });
      const sns = new SnsLambdaDispatcher({ bus: endpoint.bus, queue, sender, timeline, region });
      closers.push(
        () => s3.stop(),
        () => sns.stop(),
      );
      pollers = await startPollers(state.mappings, {
        endpointUrl: endpoint.url,
        region,
        accountId,
        queues: model.stacks.flatMap((s) => [...s.queues]),
        kinesisStreams: model.stacks.flatMap((s) => [...s.kinesisStreams]),
        invoker,
        clock,
        timeline,
        destinations: sender,
        signal: abort.signal,
        // Init (up to 10 s) plus the timeout, in real seconds, on the scaled clock.
        invocationAllowanceOf: (name) => {
          const fn = state.functions.find((f) => f.name === name);
          return fn && (fn.timeoutSeconds + 10) * clock.scale;
        },
      });
      log(`Deployed ${model.stacks.length} stacks in ${deployed.durationMs} ms.`);
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }

  return {
    endpoint,
    url: endpoint.url,
    clock,
    timeline,
    runtime,
    get model() {
      return state.model;
    },
    describe: () => describe(endpoint, state.model, clock.scale),
    stop,
  };
}

function stackView(stack: StackModel) {
  return {
    stackName: stack.stackName,
    functions: stack.functions.map((f) => f.name),
    outputs: stack.outputs,
    resources: stack.resources,
  };
}

function describe(endpoint: Endpoint, model: AssemblyModel | undefined, scale: number): string {
  const lines: string[] = [];
  if (model) {
    for (const stack of model.stacks) {
      lines.push(`\n${stack.stackName}`);
      for (const fn of stack.functions) {
        lines.push(`  λ ${fn.name}  (${fn.runtime}, ${fn.timeoutSeconds} s, ${fn.memorySizeMb} MB)`);
      }
      for (const api of stack.restApis) for (const stage of api.stages) lines.push(`  API ${stage.url}`);
      // Console links point at the AWS console, which has nothing of the local engine.
      for (const output of stack.outputs) {
        if (!output.key.endsWith('ConsoleLink')) lines.push(`  ${output.key} = ${output.value}`);
      }
      const skipped = stack.resources.filter((r) => r.disposition === 'skipped').length;
      if (skipped > 0) lines.push(`  (${skipped} resources with no local meaning skipped: IAM, log groups, …)`);
    }
  } else {
    lines.push('\nNothing deployed (--no-deploy).');
  }
  lines.push(
    '',
    `Endpoint      ${endpoint.url}  (S3, SNS, SQS, Kinesis, DynamoDB, DynamoDB Streams, SSM, Lambda, CloudFormation)`,
    `Events        ${endpoint.url}/_lab/events  (live: ${endpoint.url}/_lab/events/stream)`,
    `Time scale    ${scale}× (a 1-minute retry delay takes ${(60 / scale).toFixed(scale >= 60 ? 0 : 1)} s)`,
    '',
    'Use it from another shell (AWS CLI or SDK):',
    `  export AWS_ENDPOINT_URL=${endpoint.url} AWS_REGION=${endpoint.region} AWS_DEFAULT_REGION=${endpoint.region}`,
    '  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local',
  );
  return lines.join('\n');
}
