import { startEndpoint, type DeploymentReport, type Endpoint } from '../../../local/endpoint/server';

let endpoint: Endpoint;
let report: DeploymentReport = { state: 'deploying', step: 'synthesizing' };

beforeAll(async () => {
  endpoint = await startEndpoint({ port: 0 });
  endpoint.reportDeployment(() => report);
});

afterAll(async () => {
  await endpoint.stop();
});

async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${endpoint.url}/_lab/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('/_lab/health reports the deployment', () => {
  test('GIVEN the app is still being synthesized WHEN health is asked THEN 503 says deploying and the step', async () => {
    report = { state: 'deploying', step: 'synthesizing' };

    const { status, body } = await health();

    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'deploying', deployment: { state: 'deploying', step: 'synthesizing' } });
  });

  test('GIVEN the stacks are deployed WHEN health is asked THEN 200 says ok and lists the stacks', async () => {
    report = { state: 'ready', stacks: ['local-QueuePolling', 'local-StreamPolling'] };

    const { status, body } = await health();

    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      deployment: { state: 'ready', stacks: ['local-QueuePolling', 'local-StreamPolling'] },
    });
  });

  test('GIVEN the deployment failed WHEN health is asked THEN 503 says failed with the reason', async () => {
    report = { state: 'failed', reason: 'The templates use resource types the local engine does not support' };

    const { status, body } = await health();

    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'failed',
      deployment: { state: 'failed', reason: expect.stringContaining('resource types') },
    });
  });
});
