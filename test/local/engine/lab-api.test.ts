import * as path from 'node:path';
import { startEngine, type Engine } from '../../../local/engine/engine';

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({
    port: 0,
    deploy: false,
    timeScale: 30,
    owner: 'lab',
    projectDir: path.resolve(__dirname, '..', '..', '..'),
  });
});

afterAll(async () => {
  await engine.stop();
});

test('GET /_lab/engine reports the owner, region and time scale', async () => {
  // GIVEN an engine started at 30× with nothing deployed
  // WHEN the console asks for the engine's settings
  const res = await fetch(`${engine.url}/_lab/engine`);

  // THEN it gets them, and that nothing is deployed
  expect(await res.json()).toEqual({
    owner: 'lab',
    region: 'us-east-1',
    accountId: '000000000000',
    timeScale: 30,
    deployed: false,
  });
});

test('GET / answers as before when no console is served', async () => {
  // GIVEN an engine started without a static site
  // WHEN a browser asks for /
  const res = await fetch(`${engine.url}/`);

  // THEN the request goes to the service routing, which names what it does not serve
  expect(res.status).toBe(400);
  expect(((await res.json()) as { __type: string }).__type).toBe('UnknownServiceException');
});
