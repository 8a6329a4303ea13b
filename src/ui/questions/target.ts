import { z } from 'zod';
import * as v from '../../answers/validators.js';
import { SECRETS } from '../../answers/rules.js';
import type { Walk } from '../wizard/walk.js';
import { secretSpec } from './secret-spec.js';

export const OTHER_KEY = '__other__';
export const NEW_KEY = '__new__';

/** Server address, admin login and the key to connect with (pick one in ~/.ssh or create one). */
export function targetQuestions(w: Walk): void {
  const s = 'target' as const;
  w.ask({
    id: 'target.host',
    screen: s,
    kind: 'text',
    path: ['target', 'host'],
    label: 'Server address',
    hint: 'IP address or host name of the fresh VPS',
    required: 'enter the server address, e.g. 203.0.113.10',
  });
  w.ask({ id: 'target.port', screen: s, kind: 'number', path: ['target', 'port'], label: 'SSH port to connect to' });
  w.ask({ id: 'target.user', screen: s, kind: 'text', path: ['target', 'user'], label: 'Admin login', hint: 'root, or an existing user with sudo' });
  if (w.isProvided(['target', 'identityFile'])) {
    w.ask({ id: 'target.identityFile', screen: s, kind: 'text', path: ['target', 'identityFile'], label: 'Private key' });
    return;
  }
  const current = String(w.get(['target', 'identityFile']));
  const found = w.ctx.keys.map((k) => ({ label: k.label, value: k.path }));
  const preferred = found.find((o) => o.value === current) ?? found[0];
  const options = [
    ...(preferred ? [preferred] : []),
    ...found.filter((o) => o !== preferred),
    { label: `create a new ed25519 key (${w.ctx.newKeyPath})${w.ctx.dryRun ? ' when you run for real' : ''}`, value: NEW_KEY },
    { label: 'another key file (type its path)', value: OTHER_KEY },
  ];
  w.ask({
    id: 'target.identityFile',
    screen: s,
    kind: 'select',
    path: ['target', 'identityFile'],
    label: 'Private key to log in with',
    hint: found.length ? 'keys in ~/.ssh that have a matching .pub' : 'no key with a matching .pub in ~/.ssh',
    options,
    schema: z.string(),
    initial: options[0].value,
    toDraft: (x) => (x === NEW_KEY || x === OTHER_KEY ? current : x),
  });
  const choice = w.values['target.identityFile'] ?? options[0].value;
  if (choice === NEW_KEY)
    w.ask({
      id: 'target.newKey',
      screen: s,
      kind: 'text',
      path: ['target', 'identityFile'],
      label: 'Path for the new key',
      hint: w.ctx.dryRun
        ? 'a dry run creates no key: the plan shows this path, and ssh-keygen makes the key when you run for real'
        : 'made now by ssh-keygen, no passphrase (add one: ssh-keygen -p -f PATH)',
      initial: w.ctx.newKeyPath,
      ...(w.ctx.dryRun ? {} : { effect: 'keygen' as const }),
      schema: v.localPath,
    });
  else if (choice === OTHER_KEY)
    w.ask({
      id: 'target.otherKey',
      screen: s,
      kind: 'text',
      path: ['target', 'identityFile'],
      label: 'Path of the private key',
      hint: 'its .pub must sit beside it',
      initial: '~/.ssh/id_ed25519',
      schema: v.localPath,
    });
}

/** The deploy user: name, extra keys, sudo password (typed twice). */
export function deployUserQuestions(w: Walk): void {
  const s = 'deploy-user' as const;
  w.ask({
    id: 'deployUser.name',
    screen: s,
    kind: 'text',
    path: ['deployUser', 'name'],
    label: 'Deploy user name',
    hint: 'a new sudo user; root login is turned off later',
  });
  const identity = String(w.get(['target', 'identityFile']));
  w.ask({
    id: 'deployUser.authorizedKeys',
    screen: s,
    kind: 'list',
    path: ['deployUser', 'authorizedKeys'],
    label: 'More public keys for this user (optional)',
    hint: `${identity}.pub is always authorized; add .pub paths or key lines, comma-separated`,
    optional: true,
    initial: [],
    // Listing extra keys must not drop the operator's own key (an empty list means "the identity's .pub").
    toDraft: (x) => (Array.isArray(x) && x.length ? [`${identity}.pub`, ...x.filter((k) => k !== `${identity}.pub`)] : []),
    display: (x) => (Array.isArray(x) && x.length ? x.join(', ') : 'none (only your key)'),
  });
  w.secret({
    id: 'deployUser.sudoPassword',
    screen: s,
    path: ['deployUser', 'sudoPassword'],
    label: `Sudo password for ${String(w.get(['deployUser', 'name']))}`,
    hint: 'typed twice; it never leaves this machine except on the server’s stdin',
    secret: secretSpec(SECRETS.sudoPassword, { confirm: true }),
  });
}
