import { PROVIDER_ENV, type ProviderName } from '../../answers/schema.js';
import type { Walk } from '../wizard/walk.js';

const PROVIDERS = Object.keys(PROVIDER_ENV) as ProviderName[];
const GENERATE = 'generate';
const TYPE_IT = 'type';

/** OpenClaw: version, model providers and their keys, the gateway token, denied tools. */
export function openclawQuestions(w: Walk): void {
  const s = 'openclaw' as const;
  w.ask({ id: 'openclaw.version', screen: s, kind: 'text', path: ['openclaw', 'version'], label: 'OpenClaw version' });

  if (w.isProvided(['openclaw', 'providers'])) {
    for (const p of Object.keys((w.get(['openclaw', 'providers']) as object) ?? {}) as ProviderName[])
      providerKey(w, p);
  } else {
    const current = Object.keys((w.get(['openclaw', 'providers']) as object) ?? {});
    const picked = w.choose({
      id: 'openclaw.providers',
      screen: s,
      kind: 'multi',
      label: 'Model providers',
      hint: 'space toggles, Enter confirms; each needs an API key',
      options: PROVIDERS.map((p) => ({ label: `${p} (${PROVIDER_ENV[p]})`, value: p })),
      initial: current.length ? current : ['anthropic'],
      display: (v) => (Array.isArray(v) && v.length ? v.join(', ') : 'none'),
    });
    const list = (Array.isArray(picked) ? picked : []) as ProviderName[];
    w.set(['openclaw', 'providers'], Object.fromEntries(list.map((p) => [p, { env: PROVIDER_ENV[p] }])));
    for (const p of list) providerKey(w, p);
  }

  const token = w.get(['openclaw', 'gatewayToken']);
  if (w.isProvided(['openclaw', 'gatewayToken'])) {
    if (token === GENERATE) w.given('openclaw.gatewayToken', s, 'Gateway token', 'generated (32 random bytes), never shown');
    else w.secret({ id: 'openclaw.gatewayToken.value', screen: s, path: ['openclaw', 'gatewayToken'], label: 'Gateway token', secret: { name: 'OPENCLAW_GATEWAY_TOKEN', ref: { env: 'OPENCLAW_GATEWAY_TOKEN' } } });
  } else {
    const how = w.choose({
      id: 'openclaw.gatewayToken',
      screen: s,
      kind: 'select',
      label: 'Gateway token (the Control UI password)',
      options: [
        { label: 'generate a random one (32 bytes, never shown)', value: GENERATE },
        { label: 'type an existing token', value: TYPE_IT },
      ],
      initial: GENERATE,
    });
    if (how === TYPE_IT)
      w.secret({
        id: 'openclaw.gatewayToken.value',
        screen: s,
        path: ['openclaw', 'gatewayToken'],
        label: 'Gateway token',
        secret: { name: 'OPENCLAW_GATEWAY_TOKEN', ref: { env: 'OPENCLAW_GATEWAY_TOKEN' }, check: (t) => (t.length < 24 ? 'use at least 24 characters' : null) },
      });
    else w.set(['openclaw', 'gatewayToken'], GENERATE);
  }

  w.ask({
    id: 'openclaw.tools.deny',
    screen: s,
    kind: 'list',
    path: ['openclaw', 'tools', 'deny'],
    label: 'Tools the agent may not use',
    hint: 'comma-separated; the defaults block shell, process and gateway control',
  });
}

function providerKey(w: Walk, p: ProviderName): void {
  w.secret({
    id: `openclaw.providers.${p}`,
    screen: 'openclaw',
    path: ['openclaw', 'providers', p],
    label: `${p} API key`,
    secret: { name: PROVIDER_ENV[p], ref: { env: PROVIDER_ENV[p] } },
  });
}
