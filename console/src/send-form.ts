/** The small form that sends orders to one source: order fields, a drill, a count. */
import type { InvocationType } from '@aws-sdk/client-lambda';
import type { AwsClients } from './aws';
import { h } from './dom';
import { SENDER_LABELS } from './patterns';
import type { DeployedPattern } from './pipelines-view';
import { DRILLS, nextFallbackId, sendOrder, type Drill, type SendRequest, type SourceKind } from './send';

/** Largest burst one click sends. */
export const MAX_BURST = 100;

function field(id: string, label: string, input: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

/** Renders the form for one source of a stack. */
export function renderSendForm(kind: SourceKind, pattern: DeployedPattern, clients: AwsClients): HTMLElement {
  const id = (name: string): string => `${pattern.def.stack}-${kind}-${name}`;
  const label = SENDER_LABELS[kind];
  const orderId = h('input', { id: id('order-id'), name: 'orderId', placeholder: 'fresh id', maxlength: 100 });
  const item = h('input', { id: id('item'), name: 'item', value: 'coffee beans', required: true, maxlength: 100 });
  const quantity = h('input', { id: id('quantity'), name: 'quantity', type: 'number', value: 2, min: 1, step: 1 });
  const drill = h(
    'select',
    { id: id('drill'), name: 'drill' },
    ...DRILLS.map(([v, text]) => h('option', { value: v }, text)),
  );
  const count = h('input', { id: id('count'), name: 'count', type: 'number', value: 1, min: 1, max: MAX_BURST });
  const group = kind === 'sqs-fifo' ? h('input', { id: id('group'), name: 'groupId', value: 'group-1' }) : undefined;
  const invocation =
    kind === 'invoke'
      ? h(
          'select',
          { id: id('invocation-type'), name: 'invocationType' },
          ...['RequestResponse', 'Event', 'DryRun'].map((t) => h('option', { value: t }, t)),
        )
      : undefined;
  const button = h('button', { type: 'submit' }, `Send to ${label}`);
  const result = h('output', { class: 'result', 'aria-live': 'polite', for: id('item') });

  const submit = async (): Promise<void> => {
    const n = Math.min(MAX_BURST, Math.max(1, Math.floor(Number(count.value) || 1)));
    const base: Omit<SendRequest, 'index'> = {
      source: kind,
      order: { orderId: orderId.value.trim(), item: item.value, quantity: Number(quantity.value) },
      drill: drill.value as Drill,
      outputs: pattern.outputs,
      groupId: group?.value.trim(),
      invocationType: invocation?.value as InvocationType | undefined,
    };
    // The duplicate drill sends the same order twice even for a count of 1: that is the drill.
    const total = base.drill === 'duplicate' ? Math.max(2, n) : n;
    let last = '';
    for (let index = 0; index < total; index += 1) last = await sendOrder(clients, { ...base, index });
    nextFallbackId();
    result.className = 'result ok';
    result.textContent = total > 1 ? `Sent ${total}. Last: ${last}` : last;
  };

  const form = h(
    'form',
    { class: 'send', 'aria-label': `Send to ${label}`, 'data-source': kind },
    h('h3', {}, label),
    h(
      'div',
      { class: 'fields' },
      field(id('order-id'), 'orderId', orderId),
      field(id('item'), 'item', item),
      field(id('quantity'), 'quantity', quantity),
      field(id('drill'), 'drill', drill),
      field(id('count'), 'count', count),
      group && field(id('group'), 'message group id', group),
      invocation && field(id('invocation-type'), 'invocation type', invocation),
    ),
    button,
    result,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    button.disabled = true;
    result.className = 'result';
    result.textContent = 'Sending…';
    submit()
      .catch((err: unknown) => {
        result.className = 'result error';
        result.textContent = `Failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return form;
}
