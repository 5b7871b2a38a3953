/**
 * Runtime settings the functions read, viewed and changed through the SSM API: each stack's
 * maximum quantity parameter, with how long the functions keep the old value (their parameter
 * cache, `PARAMETER_CACHE_SECONDS`, read from the function's configuration through the Lambda API).
 */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from './aws';
import { h } from './dom';
import type { DeployedPattern } from './pipelines-view';

/** Renders one row per stack; values load in the background. */
export function renderSettings(patterns: readonly DeployedPattern[], clients: AwsClients): HTMLElement {
  return h(
    'section',
    { class: 'settings', 'aria-labelledby': 'settings-heading' },
    h('h2', { id: 'settings-heading' }, 'Settings (Parameter Store)'),
    h(
      'p',
      {},
      'Functions read the maximum quantity through Powertools Parameters and cache it: a new execution environment reads the new value at once, a warm one when its cache expires.',
    ),
    ...patterns.map((p) => renderMaxQuantity(p, clients)),
  );
}

function renderMaxQuantity(pattern: DeployedPattern, clients: AwsClients): HTMLElement {
  const name = pattern.outputs.MaxQuantityParameterName;
  const id = `max-quantity-${pattern.def.stack}`;
  const input = h('input', { id, type: 'number', min: 1, step: 1, disabled: true });
  const button = h('button', { type: 'submit', disabled: true }, `Save max quantity for ${pattern.def.title}`);
  const status = h('output', { class: 'result', 'aria-live': 'polite', for: id }, 'Loading…');
  let cacheSeconds: number | undefined;

  const load = async (): Promise<void> => {
    const [parameter, config] = await Promise.all([
      clients.ssm.send(new GetParameterCommand({ Name: name })),
      firstFunctionConfig(pattern, clients),
    ]);
    input.value = parameter.Parameter?.Value ?? '';
    const raw = config?.Environment?.Variables?.PARAMETER_CACHE_SECONDS;
    cacheSeconds = raw === undefined ? undefined : Number(raw);
    input.disabled = false;
    button.disabled = false;
    status.textContent = `${name} = ${input.value}; functions cache it for ${cacheSeconds ?? '?'} s.`;
  };
  const save = async (): Promise<void> => {
    const value = String(Math.floor(Number(input.value)));
    if (!(Number(value) >= 1))
      throw new Error(`The maximum quantity must be a positive integer (given ${input.value})`);
    await clients.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));
    const until = cacheSeconds === undefined ? undefined : new Date(Date.now() + cacheSeconds * 1000);
    status.textContent =
      `Saved ${name} = ${value}. New environments see it now; warm ones within ${cacheSeconds ?? '?'} s` +
      (until ? ` (by ${until.toLocaleTimeString()}).` : '.');
  };

  const form = h(
    'form',
    { class: 'setting', 'aria-label': `Max quantity of ${pattern.def.title}`, 'data-stack': pattern.def.stack },
    h('label', { for: id }, `${pattern.def.title}: maximum quantity `, h('code', {}, name ?? '(no parameter)')),
    input,
    button,
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    button.disabled = true;
    save()
      .catch((err: unknown) => {
        status.textContent = `Failed: ${err instanceof Error ? err.message : String(err)}`;
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  if (name) {
    load().catch((err: unknown) => {
      status.textContent = `Could not read ${name}: ${err instanceof Error ? err.message : String(err)}`;
    });
  } else {
    status.textContent = 'This stack has no MaxQuantityParameterName output.';
  }
  return form;
}

async function firstFunctionConfig(pattern: DeployedPattern, clients: AwsClients) {
  const fn = pattern.outputs[pattern.def.pipelines[0]?.functionOutput ?? ''];
  if (!fn) return undefined;
  return clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
}
