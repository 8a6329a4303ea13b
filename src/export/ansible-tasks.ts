import { redactText } from '../core/secret.js';
import type { Argv, GuardedGroup, RunAction, Step, WriteAction } from '../plan/action.js';
import { actionBudgetSec, deadmanProtocol } from '../plan/guard.js';
import { gateTasks, switchAfterGroup, type Task } from './ansible-gates.js';
import { capital, hasSecret, jinjaSecretText, jinjaString, needsTemplate, octal, vaultVar, type ExportFile, type ExportInput, type Leaf } from './text.js';

/**
 * The plan's actions as Ansible tasks, one step at a time (the translation table is in ansible.ts's
 * header). Collects the copy/template source files it refers to in `files`; ansible.ts adds the
 * project around them (site.yml, vars, vault and inventory examples).
 */
export class AnsibleTasks {
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
    if (a.when === 'changed') when.push(AnsibleTasks.changedCondition(writes));
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
