import type { AssemblyModel, EventSourceMappingModel, FunctionModel, StackModel } from '../assembly/model';
import { readAssembly } from '../assembly/read-assembly';
import { AsyncInvocationQueue } from '../async/async-invocation-queue';
import { asyncConfigResolver } from '../async/config';
import { SdkDestinationSender } from '../async/destination-sender';
import { S3Notifier } from '../async/s3-notifier';
import { SnsLambdaDispatcher } from '../async/sns-lambda-dispatcher';
import { REST_API_REQUEST_LIMITS, RestApiGateway } from '../apigateway/rest-api-gateway';
import { REST_API_PREFIX } from '../apigateway/router';
import { ScaledClock } from '../core/clock';
import { startLocalEndpoint, type Endpoint, type StaticSite } from '../endpoint';
import type { DeploymentReport } from '../endpoint/server';
import { startPollers, type RunningPollers } from '../pollers';
import { assertSupportedRuntime, LambdaRuntime } from '../runtime';
import { deploy } from './deployer';
import { cloudFormationService } from './cloudformation-service';
import { TimelineInvoker } from './invoker';
import { mountLabApi } from './lab-api';
import { lambdaService } from './lambda-service';
import { ensureAssembly } from './synth';
import { ExpiryReport } from './expiry-report';
import { Timeline } from '../core/timeline';
import { LocalIam, pollPermissionProblem } from '../iam';
import { permittedGatewayInvoker, permittedQueue, permittedSender, permittedSnsDeadLetters } from './iam-wiring';

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
  /** A web page to serve on the endpoint for `GET /` and `/assets/…` (`npm start` passes the lab console). */
  readonly staticSite?: StaticSite;
  /**
   * Called once the endpoint listens, before the app is synthesized and deployed: `npm start` prints the
   * console's URL then (the page waits for `/_lab/health` to say `ready`).
   */
  readonly onListening?: (url: string) => void;
  /**
   * Enforce the templates' IAM: functions act with their execution roles, services need the
   * functions' permissions, other callers are the local administrator (`npm start -- --no-iam`
   * turns it off). @default true
   */
  readonly iam?: boolean;
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
  /** The engine's IAM, when enforced and the app is deployed. */
  readonly iam?: LocalIam;
  /** Stacks, functions, API URLs and the line to copy, as `npm start` prints them (outputs unless `outputs: false`). */
  describe(opts?: { readonly outputs?: boolean }): string;
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
  const endpoint = await startLocalEndpoint({
    port: opts.port,
    region,
    accountId,
    clock,
    staticSite: opts.staticSite,
  });
  opts.onListening?.(endpoint.url);
  const timeline = new Timeline(clock);
  const expiries = new ExpiryReport(timeline, log);
  const runtime = new LambdaRuntime({
    region,
    accountId,
    engineEnvironment: { ...DUMMY_CREDENTIALS, AWS_ENDPOINT_URL: endpoint.url },
  });
  const invoker = new TimelineInvoker(runtime, timeline);
  const state: {
    model?: AssemblyModel;
    iam?: LocalIam;
    functions: FunctionModel[];
    mappings: EventSourceMappingModel[];
    mappingProblems: Map<string, string>;
  } = {
    functions: [],
    mappings: [],
    mappingProblems: new Map(),
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
  const destinations = permittedSender(sender, () => state.iam);
  const queue = new AsyncInvocationQueue({
    invoker,
    clock,
    timeline,
    sender: destinations,
    configFor: (name) => configFor(name),
  });
  let pollers: RunningPollers | undefined;
  const closers: Array<() => void> = [];

  const stop = async (): Promise<void> => {
    abort.abort();
    expiries.stop();
    for (const close of closers) close();
    await pollers?.stop();
    queue.stop();
    sender.close();
    await runtime.stop();
    await endpoint.stop();
  };

  let deployment: DeploymentReport = { state: 'deploying', step: 'starting' };
  endpoint.reportDeployment(() => deployment);

  try {
    endpoint.addService(
      lambdaService({
        functions: () => state.functions,
        mappings: () => state.mappings,
        invokeConfigs: () => state.model?.stacks.flatMap((s) => s.eventInvokeConfigs) ?? [],
        mappingState: (uuid) => (pollers?.pollers.has(uuid) ? 'Enabled' : 'Disabled'),
        mappingProblem: (uuid) => state.mappingProblems.get(uuid),
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
      // Read-only: the console and `npm run verify -- --local` scale expected waits by the time scale.
      engine: () => ({ owner, region, accountId, timeScale: clock.scale, deployed: state.model !== undefined }),
      expired: () => expiries.counts(),
    });

    if (opts.deploy !== false) {
      deployment = { state: 'deploying', step: 'synthesizing' };
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
      // As CreateFunction does, a runtime the engine cannot run fails the deploy before anything is created.
      for (const fn of read.stacks.flatMap((s) => s.functions)) assertSupportedRuntime(fn.name, fn.runtime);
      deployment = { state: 'deploying', step: 'deploying' };
      const deployed = await deploy(read, { endpointUrl: endpoint.url, region });
      const model = deployed.model;
      state.model = model;
      const iam = opts.iam === false ? undefined : startIam(model, endpoint, log);
      state.iam = iam;
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
            roleCredentials: iam?.credentialsFor(fn.name),
          });
        }
      }
      state.functions = model.stacks.flatMap((s) => [...s.functions]);
      state.mappings = model.stacks.flatMap((s) => [...s.eventSourceMappings]);
      configFor = asyncConfigResolver(model);
      const functionArnOf = (name: string): string | undefined => state.functions.find((f) => f.name === name)?.arn;
      const notified = iam ? permittedQueue(queue, iam, functionArnOf, accountId) : queue;
      if (iam) state.mappingProblems = mappingProblems(state.mappings, iam, log);

      const gateway = new RestApiGateway({
        apis: model.stacks.flatMap((s) => [...s.restApis]),
        invoker: iam ? permittedGatewayInvoker(invoker, iam, functionArnOf, { region, accountId }) : invoker,
        clock,
        timeline,
        accountId,
        region,
      });
      endpoint.addRoute(REST_API_PREFIX, (req) => gateway.handle(req), REST_API_REQUEST_LIMITS);
      const s3 = new S3Notifier({
        bus: endpoint.bus,
        buckets: model.stacks.flatMap((s) => [...s.buckets]),
        queue: notified,
        timeline,
        region,
        accountId,
      });
      const sns = new SnsLambdaDispatcher({
        bus: endpoint.bus,
        queue: notified,
        sender: iam ? permittedSnsDeadLetters(sender, iam, accountId) : sender,
        timeline,
        region,
      });
      closers.push(
        () => s3.stop(),
        () => sns.stop(),
      );
      pollers = await startPollers(
        state.mappings.filter((m) => !state.mappingProblems.has(m.uuid)),
        {
          endpointUrl: endpoint.url,
          region,
          accountId,
          queues: model.stacks.flatMap((s) => [...s.queues]),
          kinesisStreams: model.stacks.flatMap((s) => [...s.kinesisStreams]),
          invoker,
          clock,
          timeline,
          destinations,
          signal: abort.signal,
          // Init (up to 10 s) plus the timeout, in real seconds, on the scaled clock.
          invocationAllowanceOf: (name) => {
            const fn = state.functions.find((f) => f.name === name);
            return fn && clock.toVirtualMs((fn.timeoutSeconds + 10) * 1000) / 1000;
          },
        },
      );
      log(`Deployed ${model.stacks.length} stacks in ${deployed.durationMs} ms.`);
    }
    deployment = { state: 'ready', stacks: state.model?.stacks.map((s) => s.stackName) ?? [] };
  } catch (err) {
    deployment = { state: 'failed', reason: err instanceof Error ? err.message : String(err) };
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
    get iam() {
      return state.iam;
    },
    describe: (describeOpts) =>
      describe(endpoint, state.model, clock.scale, { outputs: describeOpts?.outputs ?? true, iam: opts.iam !== false }),
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

/**
 * Builds the engine's IAM from the deployed model, installs its guard on the endpoint, and prints
 * what it evaluates and what it cannot.
 */
function startIam(model: AssemblyModel, endpoint: Endpoint, log: (line: string) => void): LocalIam {
  const iam = new LocalIam(model, {
    onDenied: (d) =>
      log(`IAM denied ${d.functionName ?? d.callerArn}: ${d.action} on ${d.resource} (${d.decision.reason})`),
  });
  endpoint.setGuard((req) => iam.guard(req));
  const statements = iam.statements();
  const distinct = new Set(statements.map((s) => JSON.stringify({ ...s, source: undefined }))).size;
  log(`IAM: evaluating ${statements.length} policy statements (${distinct} distinct) from the templates.`);
  for (const note of iam.notes) log(`IAM: ${note}`);
  return iam;
}

/**
 * The mappings whose execution role lacks the poll permissions, with AWS's reason: the engine keeps
 * them disabled, as Lambda refuses to create them.
 */
function mappingProblems(
  mappings: readonly EventSourceMappingModel[],
  iam: LocalIam,
  log: (line: string) => void,
): Map<string, string> {
  const problems = new Map<string, string>();
  for (const mapping of mappings) {
    const principal = iam.functionPrincipal(mapping.functionName);
    const problem = pollPermissionProblem(mapping, (action, resource) => iam.decide(principal, action, resource));
    if (!problem) continue;
    problems.set(mapping.uuid, problem);
    log(`Event source mapping ${mapping.logicalId} (${mapping.functionName}) disabled: ${problem}`);
  }
  return problems;
}

function describe(
  endpoint: Endpoint,
  model: AssemblyModel | undefined,
  scale: number,
  show: { readonly outputs: boolean; readonly iam: boolean },
): string {
  const lines: string[] = [];
  if (model) {
    for (const stack of model.stacks) {
      lines.push(`\n${stack.stackName}`);
      for (const fn of stack.functions) {
        lines.push(`  λ ${fn.name}  (${fn.runtime}, ${fn.timeoutSeconds} s, ${fn.memorySizeMb} MB)`);
      }
      for (const api of stack.restApis) for (const stage of api.stages) lines.push(`  API ${stage.url}`);
      // Console links point at the AWS console, which has nothing of the local engine.
      for (const output of show.outputs ? stack.outputs : []) {
        if (!output.key.endsWith('ConsoleLink')) lines.push(`  ${output.key} = ${output.value}`);
      }
      const skipped = stack.resources.filter((r) => r.disposition === 'skipped').length;
      if (skipped > 0) lines.push(`  (${skipped} resources with no local meaning skipped: log groups, alarms, …)`);
    }
  } else {
    lines.push('\nNothing deployed (--no-deploy).');
  }
  lines.push(
    '',
    `Endpoint      ${endpoint.url}  (S3, SNS, SQS, Kinesis, DynamoDB, DynamoDB Streams, SSM, Secrets Manager, Lambda, CloudFormation)`,
    `Events        ${endpoint.url}/_lab/events  (live: ${endpoint.url}/_lab/events/stream)`,
    `Time scale    ${scale}× (a 1-minute retry delay takes ${(60 / scale).toFixed(scale >= 60 ? 0 : 1)} s)`,
    show.iam
      ? 'IAM           enforced: functions act with their execution roles; any other credentials are the local administrator (--no-iam turns it off)'
      : 'IAM           off (--no-iam): every caller may do everything',
    '',
    'Use it from another shell (AWS CLI or SDK):',
    `  export AWS_ENDPOINT_URL=${endpoint.url} AWS_REGION=${endpoint.region} AWS_DEFAULT_REGION=${endpoint.region}`,
    '  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local',
  );
  return lines.join('\n');
}
