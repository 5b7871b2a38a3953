/**
 * The lab console: boots from the engine's public API (`/_lab/…`) and CloudFormation's stack
 * outputs, then follows the event stream and polls the functions and queues once a second.
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createClients, type AwsClients } from './aws';
import { h } from './dom';
import { renderEvents } from './events-view';
import { connectEventStream, labGet, type LabEngine, type LabEvent, type LabFunction } from './lab';
import { PATTERNS } from './patterns';
import { renderPattern, type DeployedPattern, type PatternView, type QueueCounts } from './pipelines-view';
import { renderSettings } from './settings-view';
import { EventStore } from './store';

const POLL_MS = 1000;

const banner = document.getElementById('banner')!;
const app = document.getElementById('app')!;
const engineLine = document.getElementById('engine')!;

/** Shows a problem at the top of the page (the engine stopped, an API call failed). */
function showProblem(message: string | undefined): void {
  banner.hidden = message === undefined;
  banner.textContent = message ?? '';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function deployedPatterns(clients: AwsClients, owner: string): Promise<DeployedPattern[]> {
  const described = await clients.cloudformation.send(new DescribeStacksCommand({}));
  const found: DeployedPattern[] = [];
  for (const def of PATTERNS) {
    const stack = described.Stacks?.find((s) => s.StackName === `${owner}-${def.stack}`);
    if (!stack?.StackName) continue;
    const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
    found.push({ def, stackName: stack.StackName, outputs });
  }
  return found;
}

async function queueCounts(clients: AwsClients, urls: readonly string[]): Promise<Map<string, QueueCounts>> {
  const entries = await Promise.all(
    urls.map(async (url) => {
      const res = await clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const a = res.Attributes ?? {};
      const counts: QueueCounts = {
        visible: Number(a.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
      };
      return [url, counts] as const;
    }),
  );
  return new Map(entries);
}

function queueUrls(patterns: readonly DeployedPattern[]): string[] {
  return patterns.flatMap((p) =>
    p.def.pipelines.flatMap((pipeline) =>
      [pipeline.sourceQueueOutput, ...pipeline.branches.map((b) => b.queueOutput)]
        .map((key) => (key ? p.outputs[key] : undefined))
        .filter((url): url is string => Boolean(url)),
    ),
  );
}

/** Waits until the engine has deployed the stacks (it may be serving the page while it deploys). */
async function deployedEngine(): Promise<LabEngine> {
  for (;;) {
    const engine = await labGet<LabEngine>('/_lab/engine');
    if (engine.deployed) return engine;
    app.replaceChildren(
      h(
        'p',
        { class: 'empty' },
        'Nothing is deployed yet: the engine is deploying the stacks (or runs with --no-deploy).',
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function boot(): Promise<void> {
  // The stream starts first and the event list is asked for at once: no change falls between the two,
  // and the list loads while the stacks are described.
  const events = new EventStore();
  let listed = false;
  const early: LabEvent[] = [];
  let streamBroken = false;
  const catchUp = async (): Promise<void> => {
    const list = await labGet<{ events: LabEvent[] }>('/_lab/events?limit=5000');
    events.reset(list.events);
  };
  connectEventStream({
    onChange: (event) => (listed ? events.update(event) : early.push(event)),
    onOpen: () => {
      if (!streamBroken) return;
      streamBroken = false;
      showProblem(undefined);
      catchUp().catch((err: unknown) => showProblem(messageOf(err)));
    },
    onError: () => {
      streamBroken = true;
      showProblem('Lost the connection to the local engine (npm start stopped?). Reconnecting…');
    },
  });
  const firstList = labGet<{ events: LabEvent[] }>('/_lab/events?limit=5000');
  firstList.catch(() => undefined);

  const engine = await deployedEngine();
  engineLine.textContent = `Owner ${engine.owner} · ${engine.region} · time scale ${engine.timeScale}× (a 1-minute retry delay takes ${+(60 / engine.timeScale).toFixed(2)} s)`;
  const clients = createClients(location.origin, engine.region);
  const patterns = await deployedPatterns(clients, engine.owner);
  performance.mark('lab-console:stacks');
  const views: PatternView[] = patterns.map((p) => renderPattern(p, clients));
  const live = { functions: new Map<string, LabFunction>(), queues: new Map<string, QueueCounts>() };
  const refresh = (): void => views.forEach((v) => v.update(events, live));
  events.subscribe(refresh);

  const eventsView = renderEvents(events, {
    timeScale: engine.timeScale,
    patterns: patterns.map((p) => ({
      title: p.def.title,
      functions: new Set(p.def.pipelines.map((x) => p.outputs[x.functionOutput] ?? '')),
    })),
  });
  document
    .querySelector('header')
    ?.append(
      h(
        'nav',
        { class: 'jump', 'aria-label': 'Sections' },
        ...patterns.map((p) => h('a', { href: `#pattern-${p.def.stack}` }, p.def.title)),
        h('a', { href: '#settings-heading' }, 'Settings'),
        h('a', { href: '#events-heading' }, 'Events'),
      ),
    );
  app.replaceChildren(
    h(
      'div',
      { class: 'layout' },
      h(
        'div',
        { class: 'patterns' },
        patterns.length === 0
          ? h(
              'p',
              { class: 'empty' },
              `No stack of owner ${engine.owner} is deployed (was npm start run with --no-deploy?).`,
            )
          : null,
        ...views.map((v) => v.el),
        renderSettings(patterns, clients),
      ),
      eventsView,
    ),
  );
  app.setAttribute('aria-busy', 'false');

  events.reset((await firstList).events);
  listed = true;
  for (const event of early) events.update(event);
  document.body.dataset.live = 'true';
  performance.mark('lab-console:live');

  const urls = queueUrls(patterns);
  const poll = async (): Promise<void> => {
    const [functions, queues] = await Promise.all([
      labGet<LabFunction[]>('/_lab/functions'),
      queueCounts(clients, urls),
    ]);
    live.functions = new Map(functions.map((f) => [f.name, f]));
    live.queues = queues;
    refresh();
  };
  const loop = (): void => {
    poll()
      .then(() => {
        if (!streamBroken) showProblem(undefined);
      })
      .catch((err: unknown) => showProblem(`Could not refresh the counters: ${messageOf(err)}`))
      .finally(() => setTimeout(loop, POLL_MS));
  };
  loop();
}

boot().catch((err: unknown) => {
  showProblem(`The console could not start: ${messageOf(err)}`);
  app.setAttribute('aria-busy', 'false');
  app.replaceChildren(h('p', { class: 'empty' }, 'Start the engine with npm start, then reload this page.'));
});
