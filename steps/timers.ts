import { run, write, type Action } from '../src/plan/action.js';
import type { SecretText } from '../src/core/secret.js';
import { unitEnabledAndActive } from '../src/plan/probes.js';

/** A script with its systemd service and timer: the shape backups and monitoring share. */
export interface TimerJob {
  name: string;
  script: { path: string; text: string };
  service: { path: string; text: string };
  timer: { path: string; text: string };
  extraFiles?: { path: string; content: SecretText | string; mode: number; title: string }[];
}

export function timerJobActions(job: TimerJob): Action[] {
  const unit = `${job.name}.timer`;
  return [
    write(job.script.path, job.script.text, { mode: 0o700, title: `${job.name} script` }),
    ...(job.extraFiles ?? []).map((f) => write(f.path, f.content, { mode: f.mode, title: f.title })),
    write(job.service.path, job.service.text, { mode: 0o644, title: `${job.name}.service` }),
    write(job.timer.path, job.timer.text, { mode: 0o644, title: unit }),
    run('reload systemd units', ['systemctl', 'daemon-reload'], { when: 'changed' }),
    run(`enable and start ${unit}`, ['systemctl', 'enable', '--now', unit], {
      skipIf: unitEnabledAndActive(unit),
    }),
  ];
}
