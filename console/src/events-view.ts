/**
 * The live list of events (newest first, filtered by pattern, source and status) and the timeline of
 * the event opened. The list renders only the rows in view, so thousands of events stay cheap.
 */
import { duration, h, setText } from './dom';
import type { LabEvent, LabStep } from './lab';
import type { EventStore } from './store';

/** Height of one row, in CSS pixels (matches `.event-row` in styles.css). */
const ROW_HEIGHT = 30;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 6;

const SOURCES = ['apigateway', 'invoke', 's3', 'sns', 'kinesis', 'dynamodb', 'sqs', 'destination'];
const STATUSES = ['in-flight', 'succeeded', 'failed', 'dead-lettered', 'discarded'];

/** A pattern's filter entry: its title and the functions of its stack. */
export interface PatternFilter {
  readonly title: string;
  readonly functions: ReadonlySet<string>;
}

/** What the view needs besides the store. */
export interface EventsViewOptions {
  readonly patterns: readonly PatternFilter[];
  /** Virtual seconds per real second. */
  readonly timeScale: number;
}

function select(id: string, label: string, options: readonly string[], all: string) {
  const el = h('select', { id }, h('option', { value: '' }, all), ...options.map((o) => h('option', { value: o }, o)));
  return { el, field: h('div', { class: 'field' }, h('label', { for: id }, label), el) };
}

/** Renders the list and the detail panel; they follow the store by themselves. */
export function renderEvents(store: EventStore, opts: EventsViewOptions): HTMLElement {
  const pattern = select(
    'filter-pattern',
    'Pattern',
    opts.patterns.map((p) => p.title),
    'all patterns',
  );
  const source = select('filter-source', 'Source', SOURCES, 'all sources');
  const status = select('filter-status', 'Status', STATUSES, 'all statuses');
  const countLine = h('p', { class: 'count', 'aria-live': 'off' }, '0 events');
  const spacer = h('div', { class: 'spacer' });
  const rows = h('ul', { class: 'rows', role: 'list' });
  const scroller = h(
    'div',
    { class: 'scroller', tabindex: 0, role: 'region', 'aria-label': 'Events, newest first' },
    spacer,
    rows,
  );
  const detail = h(
    'div',
    { class: 'detail', 'aria-live': 'polite' },
    h('p', { class: 'hint' }, 'Open an event to see its timeline.'),
  );
  let filtered: readonly LabEvent[] = [];
  let selectedId: string | undefined;

  const matches = (event: LabEvent): boolean => {
    const p = opts.patterns.find((x) => x.title === pattern.el.value);
    if (p && !p.functions.has(event.functionName ?? '')) return false;
    if (source.el.value && event.source !== source.el.value) return false;
    if (status.el.value && event.status !== status.el.value) return false;
    return true;
  };

  const renderRows = (): void => {
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil((scroller.clientHeight || 400) / ROW_HEIGHT) + 2 * OVERSCAN;
    const slice = filtered.slice(first, first + visible);
    rows.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    if (slice.length > 0 && performance.getEntriesByName('lab-console:first-event').length === 0) {
      performance.mark('lab-console:first-event');
    }
    // Reuse the row elements: only their text changes as the list scrolls or updates.
    while (rows.children.length > slice.length) rows.lastElementChild!.remove();
    slice.forEach((event, i) => {
      let li = rows.children[i] as HTMLLIElement | undefined;
      if (!li) {
        li = h('li', {}, h('button', { type: 'button', class: 'event-row' }));
        rows.append(li);
      }
      const button = li.firstElementChild as HTMLButtonElement;
      button.dataset.id = event.id;
      button.dataset.status = event.status;
      button.setAttribute('aria-pressed', String(event.id === selectedId));
      setText(button, rowText(event));
    });
  };

  const refilter = (): void => {
    filtered = store.all().filter(matches);
    spacer.style.height = `${filtered.length * ROW_HEIGHT}px`;
    setText(countLine, `${filtered.length} of ${store.all().length} events`);
    renderRows();
  };

  const open = (id: string): void => {
    selectedId = id;
    const event = store.get(id);
    detail.replaceChildren(event ? renderTimeline(event, opts.timeScale) : h('p', {}, 'This event is gone.'));
    renderRows();
  };

  rows.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('button.event-row');
    if (button?.dataset.id) open(button.dataset.id);
  });
  scroller.addEventListener('scroll', () => requestAnimationFrame(renderRows), { passive: true });
  for (const s of [pattern, source, status]) s.el.addEventListener('change', refilter);
  store.subscribe((changed) => {
    refilter();
    if (selectedId && changed.some((e) => e.id === selectedId)) {
      const event = store.get(selectedId);
      if (event) detail.replaceChildren(renderTimeline(event, opts.timeScale));
    }
  });
  refilter();

  return h(
    'section',
    { class: 'events', 'aria-labelledby': 'events-heading' },
    h('h2', { id: 'events-heading' }, 'Events'),
    h('div', { class: 'filters' }, pattern.field, source.field, status.field),
    countLine,
    scroller,
    detail,
  );
}

function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

function rowText(event: LabEvent): string {
  return `${clockTime(event.receivedAt)}  ${event.status}  ${event.source}  ${event.summary ?? event.functionName ?? event.id}`;
}

/** The event's path: received → each attempt → retries with their due time → final outcome. */
export function renderTimeline(event: LabEvent, timeScale: number): HTMLElement {
  return h(
    'article',
    { class: 'timeline', 'data-event': event.id },
    h('h3', {}, event.summary ?? event.id),
    h(
      'p',
      {},
      h('span', { class: `status status-${event.status}` }, event.status),
      ` · ${event.source} · ${event.functionName ?? ''}`,
    ),
    h('ol', { class: 'steps' }, ...event.steps.map((step) => renderStep(step, timeScale))),
  );
}

function renderStep(step: LabStep, timeScale: number): HTMLElement {
  const facts: string[] = [];
  if (step.attempt !== undefined) facts.push(`attempt ${step.attempt}`);
  if (step.outcome) facts.push(step.outcome);
  if (step.durationMs !== undefined) facts.push(duration(step.durationMs));
  if (step.coldStart !== undefined) facts.push(step.coldStart ? 'cold start' : 'warm');
  const due = dueAt(step);
  if (due !== undefined) {
    const wait = Math.max(0, due - step.at);
    facts.push(
      `due ${clockTime(due)} (virtual), ${duration(wait)} later = ${duration(wait / timeScale)} real at ${timeScale}×`,
    );
  }
  const detail = step.detail ?? {};
  for (const key of ['reason', 'destination', 'target', 'deadLetterTargetArn', 'condition', 'receiveCount']) {
    if (detail[key] !== undefined) facts.push(`${key}: ${String(detail[key])}`);
  }
  return h(
    'li',
    { class: `step step-${step.kind}` },
    h('span', { class: 'at' }, clockTime(step.at)),
    ' ',
    h('strong', {}, step.kind),
    facts.length > 0 ? ` — ${facts.join(' · ')}` : '',
    step.errorType || step.errorMessage
      ? h('div', { class: 'error-text' }, `${step.errorType ?? 'Error'}: ${step.errorMessage ?? ''}`)
      : null,
    step.logTail ? h('details', {}, h('summary', {}, 'Log tail'), h('pre', {}, step.logTail)) : null,
  );
}

/** When a retry or a returned message is due, in virtual epoch ms. */
function dueAt(step: LabStep): number | undefined {
  const d = step.detail ?? {};
  if (typeof d.retryAt === 'string') return Date.parse(d.retryAt);
  if (typeof d.retryAt === 'number') return d.retryAt;
  if (typeof d.visibleAgainAt === 'number') return d.visibleAgainAt;
  return undefined;
}
