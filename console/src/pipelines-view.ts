/**
 * One section per deployed stack: its pipelines drawn as boxes (source → delivery → function →
 * table, failure paths branching off) with live counters, the retry table one click away, and a
 * send form per source.
 */
import type { AwsClients } from './aws';
import { deliverySettings } from './config-view';
import { h, setText } from './dom';
import type { LabFunction } from './lab';
import type { PatternDef, PipelineDef } from './patterns';
import { renderSendForm } from './send-form';
import type { EventStore } from './store';

/** A deployed stack with its outputs (CloudFormation DescribeStacks). */
export interface DeployedPattern {
  readonly def: PatternDef;
  readonly stackName: string;
  readonly outputs: Readonly<Record<string, string>>;
}

/** Message counts of one queue (SQS GetQueueAttributes). */
export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
}

/** Live values a section shows besides the timeline's counters. */
export interface LiveState {
  readonly functions: ReadonlyMap<string, LabFunction>;
  readonly queues: ReadonlyMap<string, QueueCounts>;
}

/** A rendered section and how to refresh it. */
export interface PatternView {
  readonly el: HTMLElement;
  update(store: EventStore, live: LiveState): void;
}

type Setter = (store: EventStore, live: LiveState) => void;

/** A box of the diagram: a title, a subtitle and named counters. */
function box(kind: string, title: string, subtitle: string, rows: ReadonlyArray<readonly [string, string]>) {
  const values = new Map<string, HTMLElement>();
  const list = h('dl', { class: 'counters' });
  for (const [key, label] of rows) {
    const dd = h('dd', { 'data-counter': key }, '0');
    values.set(key, dd);
    list.append(h('div', {}, h('dt', {}, label), dd));
  }
  const el = h('div', { class: `box ${kind}` }, h('strong', {}, title), h('span', { class: 'sub' }, subtitle), list);
  return { el, set: (key: string, value: number | string) => setText(values.get(key)!, String(value)) };
}

const arrow = (): HTMLElement => h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→');

function renderPipeline(pattern: DeployedPattern, pipeline: PipelineDef): { el: HTMLElement; update: Setter } {
  const fnName = pattern.outputs[pipeline.functionOutput] ?? '(not deployed)';
  const queueUrl = pipeline.sourceQueueOutput ? pattern.outputs[pipeline.sourceQueueOutput] : undefined;
  const source = box('source', pipeline.source, 'source', [
    ['received', 'events in'],
    ...(queueUrl
      ? ([
          ['visible', 'visible'],
          ['inFlight', 'in flight'],
        ] as const)
      : []),
  ]);
  const via = box('via', pipeline.via, 'delivery', [
    ['retries', 'retries scheduled'],
    ['throttled', 'throttled'],
  ]);
  const fn = box('function', pipeline.functionOutput.replace(/Name$/, ''), 'function', [
    ['attempts', 'attempts'],
    ['succeeded', 'succeeded'],
    ['failed', 'failed'],
    ['cold', 'cold starts'],
    ['warm', 'warm'],
    ['busy', 'busy'],
  ]);
  fn.el.title = fnName;
  const table = box('table', 'Orders table', 'DynamoDB', [['succeeded', 'recorded']]);
  const branches = pipeline.branches.map((branch) => {
    const b = box('failure', branch.label, branch.when, [
      ['delivered', 'delivered'],
      ['visible', 'visible'],
      ['inFlight', 'in flight'],
    ]);
    const url = pattern.outputs[branch.queueOutput];
    const update: Setter = (store, live) => {
      const counters = store.countersFor(fnName);
      b.set('delivered', branch.counter === 'none' ? '—' : counters[branch.counter]);
      const q = url ? live.queues.get(url) : undefined;
      b.set('visible', q ? q.visible : '—');
      b.set('inFlight', q ? q.inFlight : '—');
    };
    return { el: b.el, update };
  });
  const el = h(
    'div',
    { class: 'pipeline', role: 'group', 'aria-label': `${pipeline.source} pipeline` },
    h('div', { class: 'path' }, source.el, arrow(), via.el, arrow(), fn.el, arrow(), table.el),
    branches.length > 0
      ? h(
          'div',
          { class: 'branches' },
          h('span', { class: 'branch-arrow', 'aria-hidden': 'true' }, '↳'),
          ...branches.map((b) => b.el),
        )
      : null,
  );
  const update: Setter = (store, live) => {
    const c = store.countersFor(fnName);
    source.set('received', c.received);
    via.set('retries', c.retries);
    via.set('throttled', c.throttled);
    fn.set('attempts', c.attempts);
    fn.set('succeeded', c.succeeded);
    fn.set('failed', c.failed);
    table.set('succeeded', c.succeeded);
    const stats = live.functions.get(fnName);
    fn.set('cold', stats?.coldStarts ?? 0);
    fn.set('warm', stats ? stats.environments - stats.busy : 0);
    fn.set('busy', stats?.busy ?? 0);
    if (queueUrl) {
      const q = live.queues.get(queueUrl);
      source.set('visible', q ? q.visible : '—');
      source.set('inFlight', q ? q.inFlight : '—');
    }
    for (const b of branches) b.update(store, live);
  };
  return { el, update };
}

/** The README's retry text, and the settings as deployed (read when opened). */
function renderRetries(pattern: DeployedPattern, clients: AwsClients): HTMLElement {
  const deployed = h('ul', { class: 'deployed' }, h('li', {}, 'Loading…'));
  const details = h(
    'details',
    { class: 'retries' },
    h('summary', {}, 'Retry behaviour (README table)'),
    h('ul', {}, ...pattern.def.retries.map((line) => h('li', {}, line))),
    h('p', {}, 'As deployed (Lambda and SQS APIs):'),
    deployed,
    h('p', {}, 'More in ', h('code', {}, pattern.def.doc), ' in the repository.'),
  );
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return;
    loaded = true;
    Promise.all(pattern.def.pipelines.map((p) => deliverySettings(clients, p, pattern.outputs)))
      .then((lines) => deployed.replaceChildren(...lines.flat().map((line) => h('li', {}, line))))
      .catch((err: unknown) => {
        loaded = false;
        deployed.replaceChildren(h('li', { class: 'error-text' }, `Could not read the settings: ${String(err)}`));
      });
  });
  return details;
}

/** Renders one pattern's section. */
export function renderPattern(pattern: DeployedPattern, clients: AwsClients): PatternView {
  const { def } = pattern;
  const pipelines = def.pipelines.map((p) => renderPipeline(pattern, p));
  const headingId = `pattern-${def.stack}`;
  const el = h(
    'section',
    { class: 'pattern', 'aria-labelledby': headingId, 'data-pattern': def.stack },
    h('h2', { id: headingId }, def.title, ' ', h('span', { class: 'stack' }, pattern.stackName)),
    h('p', { class: 'invocation' }, def.invocation),
    renderRetries(pattern, clients),
    ...pipelines.map((p) => p.el),
    h(
      'div',
      { class: 'senders' },
      ...def.pipelines.flatMap((p) => p.senders.map((kind) => renderSendForm(kind, pattern, clients))),
    ),
  );
  return { el, update: (store, live) => pipelines.forEach((p) => p.update(store, live)) };
}
