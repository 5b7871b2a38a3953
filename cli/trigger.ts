/** `npm run trigger -- <source>`: sends orders to one source, optionally follows them, and summarizes. */
import type { InvocationType } from '@aws-sdk/client-lambda';
import Table from 'cli-table3';
import { readStates, type DeliveryState } from './follow';
import { colours, progress, type Io } from './io';
import { payloadFor, sendOnce, type Delivery } from './send';
import { openSession } from './session';
import { SOURCE_INFO, type Drill, type Source } from './sources';
import type { TargetOptions } from './target';
import { RunWatch } from './watch';

/** Options of `trigger`, as parsed. */
export interface TriggerOptions extends TargetOptions {
  readonly drill?: Drill;
  readonly count: number;
  readonly rate: number;
  readonly item: string;
  readonly quantity: number;
  readonly orderId?: string;
  readonly group?: string;
  readonly invocationType?: InvocationType;
  readonly follow?: boolean;
  /** Seconds `--follow` waits at most. */
  readonly timeout?: number;
  readonly json?: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A short random token for order ids; `crypto.randomUUID` is global on Node.js 20. */
export function runToken(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Runs `trigger`; returns the exit code. */
export async function trigger(source: Source, opts: TriggerOptions, io: Io): Promise<number> {
  const startedAt = Date.now();
  const session = await openSession(opts, io.env, [SOURCE_INFO[source].pattern]);
  const { target, clients, outputs } = session;
  const c = colours(io, 'stderr');
  const say = (line: string): void => {
    if (!opts.json) io.stderr.write(`${line}\n`);
  };
  try {
    const token = runToken('cli');
    const deliveries: Delivery[] = [];
    const bar = progress(io, opts.count, 'sending');
    const interval = 1000 / opts.rate;
    try {
      for (let i = 0; i < opts.count; i++) {
        const orderId = opts.orderId
          ? `${opts.orderId}${opts.count > 1 ? `-${i + 1}` : ''}`
          : `${token}${opts.count > 1 ? `-${i + 1}` : ''}`;
        const payload = payloadFor({ orderId, item: opts.item, quantity: opts.quantity }, opts.drill);
        const copies = opts.drill === 'duplicate' ? 2 : 1;
        for (let copy = 0; copy < copies; copy++) {
          const delivery = await sendOnce(source, payload, outputs, clients, {
            copy,
            drill: opts.drill,
            ...(opts.group ? { group: opts.group } : {}),
            ...(opts.invocationType ? { invocationType: opts.invocationType } : {}),
          });
          deliveries.push(delivery);
          if (opts.count === 1 || io.stderr.isTTY !== true) say(describeDelivery(delivery, c));
        }
        bar.update(i + 1, orderId);
        if (i + 1 < opts.count) await sleep(interval);
      }
    } finally {
      bar.stop();
    }
    let states: DeliveryState[] | undefined;
    if (opts.follow) {
      const watch = new RunWatch({ target, clients, outputs, runToken: opts.orderId ?? token, startedAt });
      const timeoutMs = (opts.timeout ?? (target.kind === 'local' ? 60 : 300)) * 1000;
      states = await followAll(
        watch,
        deliveries,
        { ...opts, timeoutMs, pollMs: target.kind === 'local' ? 250 : 3000 },
        io,
      );
    }
    if (opts.json) {
      io.stdout.write(`${JSON.stringify(jsonReport(source, opts, target.kind, deliveries, states), null, 2)}\n`);
    } else if (states) {
      io.stdout.write(`${summaryTable(states, io)}\n`);
    }
    return states && states.some((s) => !s.settled) ? 1 : 0;
  } catch (err) {
    throw session.explain(err);
  } finally {
    clients.destroy();
  }
}

async function followAll(
  watch: RunWatch,
  deliveries: readonly Delivery[],
  opts: TriggerOptions & { readonly timeoutMs: number; readonly pollMs: number },
  io: Io,
): Promise<DeliveryState[]> {
  const deadline = Date.now() + opts.timeoutMs;
  const printed = new Set<string>();
  const c = colours(io, 'stderr');
  const bar = progress(io, deliveries.length, 'settled');
  try {
    for (;;) {
      const states = await readStates(watch, deliveries);
      for (const state of states) {
        for (const step of state.steps) {
          if (printed.has(step.key)) continue;
          printed.add(step.key);
          if (!opts.json && (deliveries.length === 1 || io.stderr.isTTY !== true)) {
            io.stderr.write(`${c.dim(step.orderId)} ${step.text}\n`);
          }
        }
      }
      const settled = states.filter((s) => s.settled).length;
      bar.update(settled, '');
      if (settled === states.length || Date.now() > deadline) return states;
      await sleep(opts.pollMs);
    }
  } finally {
    bar.stop();
  }
}

function describeDelivery(d: Delivery, c: ReturnType<typeof colours>): string {
  const status =
    d.status === undefined
      ? ''
      : ` → ${d.status >= 400 || d.functionError ? c.red(String(d.status)) : c.green(String(d.status))}`;
  const body = d.body ? ` ${d.body.length > 200 ? `${d.body.slice(0, 197)}...` : d.body}` : '';
  return `sent ${d.source} order ${d.orderId} (${d.eventId})${status}${d.functionError ? ` ${d.functionError}` : ''}${body}`;
}

function summaryTable(states: readonly DeliveryState[], io: Io): string {
  const c = colours(io);
  const table = new Table({
    head: ['order', 'source', 'sent as', 'attempts', 'outcome'],
    style: { head: [], border: [] },
  });
  for (const s of states) {
    const outcome = s.recorded
      ? c.green('recorded')
      : s.failedTo
        ? c.yellow(`on ${s.failedTo}`)
        : s.delivery.status !== undefined
          ? `HTTP ${s.delivery.status}`
          : s.settled
            ? 'settled'
            : c.red('not settled');
    table.push([s.delivery.orderId, s.delivery.source, s.delivery.eventId, String(s.attempts), outcome]);
  }
  return table.toString();
}

/** The `--json` document: everything sent and, with `--follow`, where each delivery ended. */
function jsonReport(
  source: Source,
  opts: TriggerOptions,
  target: 'local' | 'aws',
  deliveries: readonly Delivery[],
  states: readonly DeliveryState[] | undefined,
): unknown {
  return {
    target,
    source,
    drill: opts.drill ?? null,
    deliveries: deliveries.map((d, i) => {
      const state = states?.[i];
      return {
        orderId: d.orderId,
        eventId: d.eventId,
        ...(d.status === undefined ? {} : { status: d.status }),
        ...(d.body === undefined ? {} : { body: d.body }),
        ...(d.functionError ? { functionError: d.functionError } : {}),
        ...(state
          ? {
              settled: state.settled,
              attempts: state.attempts,
              recorded: state.recorded,
              failedTo: state.failedTo ?? null,
              steps: state.steps.map((s) => s.text),
            }
          : {}),
      };
    }),
  };
}
