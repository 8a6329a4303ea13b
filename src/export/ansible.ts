import { Document, isPair, isScalar, isSeq, visit } from 'yaml';
import { redactText } from '../core/secret.js';
import type { Argv, GuardedGroup, RunAction, Step, WriteAction } from '../plan/action.js';
import { actionBudgetSec, deadmanProtocol } from '../plan/guard.js';
import { knownHostName } from '../plan/commands.js';
import { connectTasks, gateTasks, switchAfterGroup, type Task } from './ansible-gates.js';
import { ansibleSecretChecks } from './secret-shapes.js';
import {
  capital,
  hasSecret,
  jinjaSecretText,
  jinjaString,
  needsTemplate,
  octal,
  secretNames,
  usesOperatorPlaceholder,
  vaultVar,
  type ExportFile,
  type ExportInput,
  type Leaf,
} from './text.js';

/**
 * `claw-setup export ansible`: the plan as an Ansible project. The same plan
 * objects the printer and the runner read, translated action by action:
 *
 *   run      → ansible.builtin.command with the exact argv (no shell), its
 *              skipIf as a read-only check task before it (runs in --check too)
 *   write    → ansible.builtin.copy (or .template when the text holds a secret,
 *              as a vault variable reference) with mode, owner and group
 *   gate     → a check; fresh-login / login-refused run on the control node
 *              as a new ssh process (see ansible-gates.ts)
 *   guarded  → a block: the dead-man protocol's prepare and arm (the same
 *              commands the runner sends), the actions, the gates, disarm;
 *              rescue: restore now, then fail the host
 *
 * Pure: returns the files; src/exec writes them.
 */

/** YAML for Ansible: argv lists on one line where they fit (as a command reads), long text folded under ansible-lint's 160 columns. */
export function yamlDoc(header: string[], data: unknown): string {
  // YAML 1.1, as Ansible (PyYAML) reads it: "on", "yes", "no" in an argv must stay strings, not booleans.
  const doc = new Document(data, { version: '1.1' });
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'argv' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return `---\n${header.flatMap(wrapComment).join('')}${doc.toString({ lineWidth: 140, minContentWidth: 40, flowCollectionPadding: false })}`;
}

/** A comment line, wrapped at spaces to stay under 150 columns. */
function wrapComment(text: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + w.length + 1 > 146) {
      out.push(`# ${line}\n`);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  out.push(`# ${line}\n`);
  return out;
}

class Project {
  #n = 0;
  readonly files: ExportFile[] = [];
  readonly sudoVault: string;

  constructor(readonly input: ExportInput) {
    this.sudoVault = vaultVar(input.sudoPassword);
  }

  reg(kind: string): string {
    this.#n += 1;
    return `claw_${kind}_${this.#n}`;
  }

  /** A read-only probe (skipIf): runs in --check mode too, never fails, never changes. */
  probe(title: string, argv: Argv, reg: string): Task {
    return {
      name: `Check whether this is done already: ${title}`,
      'ansible.builtin.command': { argv: argv.map(jinjaString) },
      register: reg,
      changed_when: false,
      failed_when: false,
      check_mode: false,
    };
  }

  /** `when: changed` in the runner: a write earlier in the same step (or group) changed its file. */
  static changedCondition(writes: string[]): string {
    return writes.length ? `(${writes.map((w) => `${w} is changed`).join(' or ')})` : 'false';
  }

  run(a: RunAction, writes: string[], limitSec?: number): Task[] {
    const out: Task[] = [];
    const when: string[] = [];
    if (a.skipIf) {
      const r = this.reg('done');
      out.push(this.probe(a.title, a.skipIf, r));
      when.push(`${r}.rc != 0`);
    }
    if (a.when === 'changed') when.push(Project.changedCondition(writes));
    const cmd: Record<string, unknown> = { argv: a.argv.map(jinjaString) };
    if (a.stdin) Object.assign(cmd, { stdin: jinjaSecretText(a.stdin), stdin_add_newline: false });
    const timeout = limitSec ?? a.timeoutSec;
    out.push({
      name: capital(a.title) + (a.when === 'changed' ? ' (only when a file above changed)' : ''),
      'ansible.builtin.command': cmd,
      changed_when: true,
      ...(when.length ? { when: when.length === 1 ? when[0] : when } : {}),
      ...(timeout ? { timeout } : {}),
      ...(hasSecret(a.stdin) ? { no_log: true } : {}),
    });
    return out;
  }

  /** A write: copy from files/<step>/<path>, or template from templates/<step>/<path>.j2 when it holds a secret or the operator address. */
  write(w: WriteAction, step: string, reg: string, limitSec?: number): Task[] {
    const out: Task[] = [];
    const when: string[] = [];
    if (w.skipIf) {
      const r = this.reg('done');
      out.push(this.probe(w.title, w.skipIf, r));
      when.push(`${r}.rc != 0`);
    }
    const rel = `${step}${w.path}`;
    const attrs = { dest: w.path, mode: octal(w.mode), owner: w.owner, group: w.group };
    const secret = hasSecret(w.content);
    let mod: Task;
    if (needsTemplate(w.content)) {
      this.files.push({ path: `templates/${rel}.j2`, content: jinjaSecretText(w.content), mode: 0o600 });
      mod = { 'ansible.builtin.template': { src: `${rel}.j2`, ...attrs, trim_blocks: false } };
    } else {
      this.files.push({ path: `files/${rel}`, content: redactText(w.content), mode: 0o644 });
      mod = { 'ansible.builtin.copy': { src: rel, ...attrs } };
    }
    out.push({
      name: `${capital(w.title)} (mode ${octal(w.mode)}, ${w.owner}:${w.group})`,
      ...mod,
      register: reg,
      ...(when.length ? { when: when[0] } : {}),
      ...(limitSec ? { timeout: limitSec } : {}),
      // A file with a secret never shows in --diff or in the log.
      ...(secret ? { no_log: true, diff: false } : {}),
    });
    return out;
  }

  leaf(a: Leaf, step: string, writes: string[], limitSec?: number): Task[] {
    if (a.kind === 'run') return this.run(a, writes, limitSec);
    const reg = this.reg('file');
    writes.push(reg);
    return this.write(a, step, reg, limitSec);
  }

  /**
   * A guarded group: skipped whole when its skipIf says it is in place;
   * otherwise prepare + arm (the runner's own dead-man commands), the actions,
   * the gates and disarm in one block; any failure restores at once and stops
   * the host (serial then stops the rollout). If this control node dies
   * instead, the host's own timer restores.
   */
  group(g: GuardedGroup, step: string, stepWrites: string[]): Task[] {
    const dm = deadmanProtocol(g);
    const out: Task[] = [];
    let when: string | undefined;
    if (g.skipIf) {
      const r = this.reg('in_place');
      out.push(this.probe(`${g.title} (the whole guarded group)`, g.skipIf, r));
      when = `${r}.rc != 0`;
    }
    const writes: string[] = [];
    const block: Task[] = [];
    for (const a of dm.prepare) block.push(...this.leaf(a, step, []));
    block.push(...this.run(dm.arm, []));
    for (const a of g.actions) block.push(...this.leaf(a, step, writes, actionBudgetSec(a)));
    for (const gt of g.gates) block.push(...gateTasks(gt, this.input.answers, this.reg('gate'), this.sudoVault));
    block.push(...this.run(dm.disarm, [], dm.disarm.timeoutSec));
    stepWrites.push(...writes);
    out.push({
      name: `${capital(g.title)} (guarded: the host restores ${g.backup.join(', ')} after ${g.timeoutSec}s unless every gate passes)`,
      ...(when ? { when } : {}),
      block,
      rescue: [
        ...this.run({ ...dm.restore, title: `${dm.restore.title} now (something in "${g.id}" failed)` }, []),
        {
          name: `Stop this host: "${g.title}" failed and was restored`,
          'ansible.builtin.fail': {
            msg: `"${g.title}" failed on {{ inventory_hostname }} and ${g.backup.join(', ')} were restored; nothing after it ran on this host. See the failed task above.`,
          },
        },
      ],
    });
    out.push(...switchAfterGroup(g, this.sudoVault));
    return out;
  }

  step(s: Step): Task[] {
    const writes: string[] = [];
    const out: Task[] = [];
    for (const a of s.actions) {
      if (a.kind === 'guarded') out.push(...this.group(a, s.id, writes));
      else if (a.kind === 'gate') out.push(...gateTasks(a, this.input.answers, this.reg('gate'), this.sudoVault));
      else out.push(...this.leaf(a, s.id, writes));
    }
    if (!out.length) out.push({ name: `${capital(s.title)}: nothing to run on the host`, 'ansible.builtin.meta': 'noop' });
    return out;
  }
}

const pad = (i: number) => String(i).padStart(2, '0');

/** The whole Ansible project for a plan. */
export function exportAnsible(input: ExportInput): ExportFile[] {
  const { plan, answers: a } = input;
  const p = new Project(input);
  const needsIp = usesOperatorPlaceholder(plan);
  const taskFiles: { file: string; title: string }[] = [];
  const add = (file: string, title: string, header: string[], tasks: Task[]) => {
    p.files.push({ path: `tasks/${file}`, content: yamlDoc(header, tasks), mode: 0o644 });
    taskFiles.push({ file, title });
  };
  // The vault values, checked with the live path's rules before the play touches anything.
  const secretChecks = ansibleSecretChecks(secretNames(plan));
  if (secretChecks.length)
    add(
      '00-check-secrets.yml',
      'Check the vault values (the shape claw-setup checks before a live run)',
      ['Generated by claw-setup export ansible: each vault value has the shape its secret needs, before anything changes.'],
      secretChecks,
    );
  add(
    '00-connect.yml',
    'Connect (admin login, or the final way in on a rerun)',
    ['Generated by claw-setup export ansible: how the play reaches each host.'],
    connectTasks(plan, a, p.sudoVault, needsIp),
  );
  plan.steps.forEach((s, i) =>
    add(
      `${pad(i + 1)}-${s.id}.yml`,
      `Step ${i + 1}/${plan.steps.length} ${s.id}: ${s.title}`,
      [`Step ${i + 1}/${plan.steps.length}: ${s.id} — ${s.title}`, ...s.summary],
      p.step(s),
    ),
  );

  const site = [
    {
      name: 'Claw-setup: hardened OpenClaw hosts, without locking anyone out',
      hosts: 'claw',
      gather_facts: false,
      // One host at a time by default: a failure stops the rollout before the next batch (-e claw_serial=N for larger batches).
      serial: '{{ claw_serial | default(1) }}',
      max_fail_percentage: 0,
      // Root at first; once root login is off, the deploy user with sudo (claw_become, set by the connect tasks).
      become: '{{ claw_become | default(false) }}',
      become_method: 'sudo',
      tasks: taskFiles.map((t) => ({ name: t.title, 'ansible.builtin.import_tasks': `tasks/${t.file}` })),
    },
  ];
  const header = [
    'Generated by claw-setup export ansible from the same plan `claw-setup plan` prints.',
    ...plan.header,
    'Run: ansible-playbook site.yml --ask-vault-pass   (first --check --diff to review).',
  ];
  p.files.push({ path: 'site.yml', content: yamlDoc(header, site), mode: 0o644 });

  const port = a.target.port;
  const vars = {
    ansible_user: a.target.user,
    ansible_port: port,
    claw_identity_file: a.target.identityFile,
    claw_known_hosts: '~/.ssh/known_hosts',
    claw_host_key_alias: port === 22 ? '{{ ansible_host | default(inventory_hostname) }}' : `[{{ ansible_host | default(inventory_hostname) }}]:${port}`,
    ansible_ssh_private_key_file: '{{ claw_identity_file }}',
    ansible_ssh_common_args:
      '-o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o HostKeyAlias={{ claw_host_key_alias }} -o UserKnownHostsFile={{ claw_known_hosts }} -o ForwardAgent=no',
  };
  p.files.push({
    path: 'group_vars/claw/vars.yml',
    content: yamlDoc(
      [
        'Connection settings shared by every host (override per host in the inventory).',
        `The gates pin each host key under claw_host_key_alias (${knownHostName('HOST', port)}), as claw-setup does: record it in claw_known_hosts first.`,
        ...(needsIp ? ['claw_operator_ip (the break-glass address) is detected per host from SSH_CONNECTION; set it here to pin it.'] : []),
      ],
      vars,
    ),
    mode: 0o644,
  });
  const secrets = secretNames(plan);
  const vault = Object.fromEntries(secrets.map((s) => [vaultVar(s), `<${s.name}: put the value here, then ansible-vault encrypt this file>`]));
  p.files.push({
    path: 'vault.example.yml',
    content: yamlDoc(
      [
        'The secrets the plan needs, as Ansible vault variables (the playbook only ever refers to them).',
        'Copy to group_vars/claw/vault.yml (or host_vars/HOST/vault.yml for per-host values, e.g. the gateway token),',
        'fill in the values and encrypt it: ansible-vault encrypt group_vars/claw/vault.yml',
      ],
      vault,
    ),
    mode: 0o600,
  });
  const host = a.target.host ?? '203.0.113.10';
  p.files.push({
    path: 'inventory.example.yml',
    content: yamlDoc(['Copy to inventory.yml and list every server; all get the same plan (one export per OS: --os).'], {
      claw: { hosts: { server1: { ansible_host: host } } },
    }),
    mode: 0o644,
  });
  p.files.push({
    path: 'ansible.cfg',
    content: [
      '# Generated by claw-setup export ansible.',
      '[defaults]',
      'inventory = inventory.yml',
      'host_key_checking = True',
      'interpreter_python = auto_silent',
      '',
      '[ssh_connection]',
      'pipelining = True',
      '',
    ].join('\n'),
    mode: 0o644,
  });
  p.files.push({ path: '.ansible-lint', content: ANSIBLE_LINT, mode: 0o644 });
  return p.files;
}

/** Rules the export deliberately does not follow, each with why (the rest of ansible-lint's default profile applies). */
const ANSIBLE_LINT = `---
# Generated by claw-setup export ansible.
skip_list:
  # The plan's commands run exactly as claw-setup prints and runs them (argv, no shell), each with
  # its own "already done" probe; translating them to modules would be a second copy of the steps.
  - command-instead-of-module
  - deprecated-command-syntax
  # "Only when a file above changed" must run at its place in the plan (before the gate after it),
  # which handlers (run at the end of the play) cannot do.
  - no-handler
`;
