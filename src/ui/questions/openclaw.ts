import { GATEWAY_TOKEN_BYTES, PROVIDER_KEYS, PROVIDER_KIND, PROVIDER_NAMES, SECRETS, type ProviderName } from '../../answers/rules.js';
import type { Walk } from '../wizard/walk.js';
import { secretSpec } from './secret-spec.js';

const GENERATE = 'generate';
const TYPE_IT = 'type';

/** OpenClaw: version, model providers and their keys, the gateway token, denied tools. */
export function openclawQuestions(w: Walk): void {
  const s = 'openclaw' as const;
  w.ask({ id: 'openclaw.version', screen: s, kind: 'text', path: ['openclaw', 'version'], label: 'OpenClaw version' });

  if (w.isProvided(['openclaw', 'providers'])) {
    for (const p of Object.keys((w.get(['openclaw', 'providers']) as object) ?? {}) as ProviderName[]) providerKey(w, p);
  } else {
    const current = Object.keys((w.get(['openclaw', 'providers']) as object) ?? {});
    const picked = w.choose({
      id: 'openclaw.providers',
      screen: s,
      kind: 'multi',
      label: 'Model providers',
      hint: 'space toggles, Enter confirms; each needs an API key',
      options: PROVIDER_NAMES.map((p) => ({ label: `${p} (${PROVIDER_KEYS[p].envVar})`, value: p })),
      initial: current.length ? current : ['anthropic'],
      display: (v) => (Array.isArray(v) && v.length ? v.join(', ') : 'none'),
    });
    const list = (Array.isArray(picked) ? picked : []) as ProviderName[];
    w.set(['openclaw', 'providers'], Object.fromEntries(list.map((p) => [p, { env: PROVIDER_KEYS[p].envVar }])));
    for (const p of list) providerKey(w, p);
  }

  model(w);

  const token = w.get(['openclaw', 'gatewayToken']);
  // Typed (answers file or prompt): one masked field, whichever way it was chosen.
  const typeToken = () =>
    w.secret({
      id: 'openclaw.gatewayToken.value',
      screen: s,
      path: ['openclaw', 'gatewayToken'],
      label: 'Gateway token',
      secret: secretSpec(SECRETS.gatewayToken),
    });
  if (w.isProvided(['openclaw', 'gatewayToken'])) {
    if (token === GENERATE) w.given('openclaw.gatewayToken', s, 'Gateway token', `generated (${GATEWAY_TOKEN_BYTES} random bytes), never shown`);
    else typeToken();
  } else {
    const how = w.choose({
      id: 'openclaw.gatewayToken',
      screen: s,
      kind: 'select',
      label: 'Gateway token (the Control UI password)',
      options: [
        { label: `generate a random one (${GATEWAY_TOKEN_BYTES} bytes, never shown)`, value: GENERATE },
        { label: 'type an existing token', value: TYPE_IT },
      ],
      initial: GENERATE,
    });
    if (how === TYPE_IT) typeToken();
    else w.set(['openclaw', 'gatewayToken'], GENERATE);
  }

  w.ask({
    id: 'openclaw.tools.profile',
    screen: s,
    kind: 'select',
    path: ['openclaw', 'tools', 'profile'],
    label: 'Tool profile',
    hint: "messaging is OpenClaw's hardened baseline; the others open riskier tools (the deny list below still applies)",
    options: [
      { label: "messaging: chat, sessions, ask the user (OpenClaw's hardened baseline)", value: 'messaging' },
      { label: 'minimal: session status only', value: 'minimal' },
      { label: 'coding (riskier): files, shell, web, cron, unless denied below', value: 'coding' },
      { label: 'full (riskiest): every tool, unless denied below', value: 'full' },
    ],
  });

  w.ask({
    id: 'openclaw.tools.deny',
    screen: s,
    kind: 'list',
    path: ['openclaw', 'tools', 'deny'],
    label: 'Tools the agent may not use',
    hint: "comma-separated; the defaults are OpenClaw's hardened baseline (automation, shell, files, nodes, browser): removing one lets the agent use it",
  });
}

/** The agents' model, among the defaults of the providers given (OpenClaw would otherwise pick openai's whatever keys it has). */
function model(w: Walk): void {
  const providers = PROVIDER_NAMES.filter((p) => p in ((w.get(['openclaw', 'providers']) as object) ?? {}));
  if (providers.length === 0) {
    w.given('openclaw.model', 'openclaw', 'Model', 'none: with no provider key the gateway starts but cannot answer a message (add a provider to fix)');
    w.set(['openclaw', 'model'], 'auto');
    return;
  }
  if (w.isProvided(['openclaw', 'model'])) return;
  const picked = w.choose({
    id: 'openclaw.model',
    screen: 'openclaw',
    kind: 'select',
    label: 'Model for the agents',
    hint: "each provider's own default; the others become fallbacks",
    options: providers.map((p, i) => ({
      label: `${PROVIDER_KEYS[p].defaultModel}${i === 0 ? ' (first provider)' : ''}`,
      value: i === 0 ? 'auto' : PROVIDER_KEYS[p].defaultModel,
    })),
    initial: 'auto',
  });
  w.set(['openclaw', 'model'], typeof picked === 'string' ? picked : 'auto');
}

function providerKey(w: Walk, p: ProviderName): void {
  w.secret({
    id: `openclaw.providers.${p}`,
    screen: 'openclaw',
    path: ['openclaw', 'providers', p],
    label: `${p} API key`,
    secret: secretSpec({ name: PROVIDER_KEYS[p].envVar, kind: PROVIDER_KIND, ref: { env: PROVIDER_KEYS[p].envVar } }),
  });
}
