/**
 * Benchmark of the request/response and asynchronous paths:
 * - API round trip through the local REST API emulation (HTTP client → endpoint → gateway →
 *   invoker → function), with the real local runtime and with an instant fake invoker;
 * - asynchronous events per second through Lambda's internal queue, with the real runtime and
 *   with an instant fake invoker.
 *
 * Run: `node --import tsx bench/gateway.ts [requests] [events]` (defaults 2,000 and 20,000).
 * Numbers are wall-clock on this machine, client and engine in one process.
 */
import http from 'node:http';
import os from 'node:os';
import type { RestApiModel } from '../local/assembly/model';
import { REST_API_REQUEST_LIMITS, RestApiGateway } from '../local/apigateway/rest-api-gateway';
import { REST_API_PREFIX } from '../local/apigateway/router';
import { AsyncInvocationQueue } from '../local/async/async-invocation-queue';
import { ScaledClock } from '../local/core/clock';
import type { InvocationOutcome, Invoker } from '../local/core/contracts';
import { TimelineInvoker } from '../local/engine/invoker';
import { Timeline } from '../local/core/timeline';
import { startEndpoint } from '../local/endpoint/server';
import { trivialRuntime } from './trivial-function';

const REQUESTS = Number(process.argv[2] ?? 2000);
const EVENTS = Number(process.argv[3] ?? 20000);
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const API: RestApiModel = {
  logicalId: 'Api',
  id: 'benchapi01',
  name: 'bench',
  binaryMediaTypes: [],
  stages: [{ name: 'prod', url: '', variables: {}, methodThrottling: {} }],
  routes: [
    {
      resourcePath: '/orders/{orderId}',
      httpMethod: 'GET',
      integrationType: 'AWS_PROXY',
      functionName: 'trivial',
      timeoutInMillis: 29_000,
      authorizationType: 'NONE',
      apiKeyRequired: false,
      validateRequestBody: false,
      validateRequestParameters: false,
      requestParameters: {},
      requestModels: {},
    },
  ],
};

const instant: Invoker = {
  async invoke(_name, _payload, call): Promise<InvocationOutcome> {
    return {
      requestId: call.requestId ?? 'r',
      payload: '{"statusCode":200,"body":"ok"}',
      outcome: 'success',
      durationMs: 0,
      coldStart: false,
      logs: '',
    };
  },
};

/** One keep-alive HTTP GET; resolves with the status once the body is read. */
function get(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

async function roundTrips(label: string, invoker: Invoker, timeline: Timeline): Promise<void> {
  const clock = new ScaledClock(1);
  const gateway = new RestApiGateway({ apis: [API], invoker, clock, timeline });
  const endpoint = await startEndpoint({ port: 0, region: REGION, accountId: ACCOUNT });
  endpoint.addRoute(REST_API_PREFIX, (req) => gateway.handle(req), REST_API_REQUEST_LIMITS);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${endpoint.url}/restapis/${API.id}/prod/_user_request_/orders/o-1?x=1`;
  try {
    for (let i = 0; i < 200; i++) await get(agent, url);
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = performance.now();
      const status = await get(agent, url);
      times.push(performance.now() - t0);
      if (status !== 200) throw new Error(`status ${status}`);
    }
    times.sort((a, b) => a - b);
    console.log(
      `API round trip (${label}, ${REQUESTS} sequential GETs): p50 ${percentile(times, 50).toFixed(3)} ms  ` +
        `p99 ${percentile(times, 99).toFixed(3)} ms  max ${(times.at(-1) ?? 0).toFixed(3)} ms`,
    );
  } finally {
    agent.destroy();
    await endpoint.stop();
  }
}

async function asyncThroughput(label: string, invoker: Invoker, timeline: Timeline, events: number): Promise<void> {
  const clock = new ScaledClock(600);
  const queue = new AsyncInvocationQueue({
    invoker,
    clock,
    timeline,
    sender: { send: async () => undefined },
    configFor: (name) =>
      name === 'trivial'
        ? {
            functionName: name,
            qualifier: '$LATEST',
            maximumRetryAttempts: 2,
            maximumEventAgeInSeconds: 21_600,
            functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
          }
        : undefined,
  });
  const t0 = performance.now();
  for (let i = 0; i < events; i++) queue.enqueue('trivial', `{"i":${i}}`, { source: 'invoke' });
  await queue.whenIdle();
  const seconds = (performance.now() - t0) / 1000;
  queue.stop();
  console.log(
    `async queue (${label}): ${events} events in ${seconds.toFixed(2)} s = ${Math.round(events / seconds)} events/s`,
  );
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(2)}`);
  const { runtime, stop } = trivialRuntime(
    'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ id: event.pathParameters && event.pathParameters.orderId }) });',
    REGION,
    ACCOUNT,
  );
  // One timeline for the gateway, the queue and the invoker, as the engine wires them.
  const timeline = new Timeline(new ScaledClock(1), 50_000);
  const real = new TimelineInvoker(runtime, timeline);
  try {
    await roundTrips('instant fake invoker', instant, timeline);
    await roundTrips('local runtime, warm worker', real, timeline);
    await asyncThroughput('instant fake invoker', instant, timeline, EVENTS);
    await asyncThroughput('local runtime, up to 10 environments', real, timeline, Math.min(EVENTS, 5_000));
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
