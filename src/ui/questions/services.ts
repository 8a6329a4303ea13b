import { SECRETS } from '../../answers/rules.js';
import * as v from '../../answers/validators.js';
import type { Walk } from '../wizard/walk.js';
import { secretSpec } from './secret-spec.js';

/** How the Control UI is reached: tunnel, tailnet, or a public domain with Caddy. */
export function accessQuestions(w: Walk): void {
  const s = 'access' as const;
  const tailscale = w.get(['tailscale', 'enabled']) === true;
  const before = (w.get(['access']) as { mode?: string } | undefined)?.mode ?? 'ssh-tunnel';
  const mode = w.ask({
    id: 'access.mode',
    screen: s,
    kind: 'select',
    path: ['access', 'mode'],
    label: 'How will you reach the Control UI?',
    options: [
      { label: 'SSH tunnel from your laptop (nothing exposed)', value: 'ssh-tunnel' },
      {
        label: tailscale ? 'Tailscale serve: HTTPS on your tailnet only' : 'Tailscale serve (needs Tailscale: go back to enable it)',
        value: 'tailscale-serve',
      },
      { label: 'public HTTPS domain with Caddy', value: 'caddy' },
    ],
    initial: w.isProvided(['access', 'mode']) ? undefined : before,
  });
  // A chosen mode starts a fresh access object: fields of another mode must not linger (the schema is strict).
  const current = w.get(['access']) as Record<string, unknown>;
  if (!w.isProvided(['access', 'mode']))
    w.set(['access'], { mode, ...pick(current, mode === 'caddy' ? ['domain', 'email'] : mode === 'tailscale-serve' ? ['tailnetDomain'] : []) });
  if (mode === 'tailscale-serve')
    w.ask({
      id: 'access.tailnetDomain',
      screen: s,
      kind: 'text',
      path: ['access', 'tailnetDomain'],
      label: 'Your tailnet DNS name',
      hint: 'Tailscale admin → DNS, e.g. tail1234.ts.net',
      required: 'enter the tailnet DNS name',
    });
  if (mode === 'caddy') {
    w.ask({
      id: 'access.domain',
      screen: s,
      kind: 'text',
      path: ['access', 'domain'],
      label: 'Domain',
      hint: 'point its A/AAAA record at the server',
      required: 'enter the domain',
    });
    w.ask({ id: 'access.email', screen: s, kind: 'text', path: ['access', 'email'], label: "Email for Let's Encrypt", required: 'enter an email address' });
  }
}

function pick(o: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o?.[k] !== undefined).map((k) => [k, o![k]]));
}

export function backupsQuestions(w: Walk): void {
  const s = 'backups' as const;
  const on = w.ask({ id: 'backups.enabled', screen: s, kind: 'bool', path: ['backups', 'enabled'], label: 'Back up OpenClaw’s data every day?' });
  if (on !== true) return;
  w.ask({ id: 'backups.dir', screen: s, kind: 'text', path: ['backups', 'dir'], label: 'Backup directory on the server' });
  w.ask({ id: 'backups.keepDays', screen: s, kind: 'number', path: ['backups', 'keepDays'], label: 'Days to keep' });
  w.ask({ id: 'backups.time', screen: s, kind: 'text', path: ['backups', 'time'], label: 'Time of day (server clock, HH:MM)' });
}

export function monitoringQuestions(w: Walk): void {
  const s = 'monitoring' as const;
  const on = w.ask({ id: 'monitoring.enabled', screen: s, kind: 'bool', path: ['monitoring', 'enabled'], label: 'Check health every few minutes and alert?' });
  if (on !== true) return;
  ntfyTopic(w);
  if (w.isProvided(['monitoring', 'discordWebhook'])) {
    if (w.get(['monitoring', 'discordWebhook']) !== null) webhook(w);
    return;
  }
  const want = w.choose({ id: 'monitoring.discord', screen: s, kind: 'bool', label: 'Also send alerts to a Discord webhook?', initial: false });
  if (want === true) webhook(w);
  else w.set(['monitoring', 'discordWebhook'], null);
}

const TOPIC_LABEL = 'ntfy topic for alerts (optional)';

/**
 * The ntfy topic is a password for the alert feed (whoever knows it reads the alerts): typed
 * masked like any secret, empty for none. An answers file's inline topic or "none" is kept as given.
 */
function ntfyTopic(w: Walk): void {
  const path = ['monitoring', 'ntfyTopic'];
  const given = w.get(path);
  if (w.isProvided(path) && (given === null || typeof given === 'string')) {
    w.given('monitoring.ntfyTopic', 'monitoring', TOPIC_LABEL, given === null ? 'none' : 'set (hidden, written in the answers file)');
    return;
  }
  const topic = v.ntfyTopic;
  w.secret({
    id: 'monitoring.ntfyTopic',
    screen: 'monitoring',
    path,
    label: TOPIC_LABEL,
    hint: 'Enter for none; pick a long, unguessable name',
    optional: true,
    secret: { ...secretSpec(SECRETS.ntfyTopic), check: (x) => topic.safeParse(x).error?.issues[0].message ?? null },
  });
}

function webhook(w: Walk): void {
  w.secret({
    id: 'monitoring.discordWebhook',
    screen: 'monitoring',
    path: ['monitoring', 'discordWebhook'],
    label: 'Discord webhook URL',
    secret: secretSpec(SECRETS.discordWebhook),
  });
}
