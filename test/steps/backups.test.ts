// steps/backups.ts: daily verified archives with a monthly restore test, both as timer jobs; with an
// off-server copy also age and restic, their settings mode 600 and the server's own SFTP key.
import { describe, expect, it } from 'vitest';
import { secretsFor } from '../../src/answers/secrets.js';
import { parseResticRepository } from '../../src/answers/backup-fields.js';
import { planSecrets } from '../../src/plan/action.js';
import { printPlan } from '../../src/plan/print.js';
import { sftpCommand } from '../../src/plan/backup-paths.js';
import { actionLines, answersWith, everyAction, fixture, planFor } from '../helpers.js';

const SENTINEL_PW = 'restic-Sentinel-Pw-5ea1';
const offsitePlan = () => {
  const a = fixture('offsite');
  const secrets = secretsFor(a, { RESTIC_PASSWORD: SENTINEL_PW, ANTHROPIC_API_KEY: 'sk-x', CLAW_SUDO_PASSWORD: 'sudo-password-long' });
  return { a, plan: planFor(a).plan, secrets };
};

describe('the backups step with an off-server copy', () => {
  it('installs age and restic, writes the password and settings mode 600 (values only in file contents), generates the SFTP key on the server', () => {
    const { plan } = offsitePlan();
    const step = plan.steps.find((s) => s.id === 'backups')!;
    const text = printPlan({ header: [], steps: [step] }, { host: 'h', identityFile: '~/.ssh/id' });
    expect(text).toContain('install --no-install-recommends age restic');
    expect(text).toMatch(/^claw_write 0600 root root \/etc\/claw-setup\/offsite\/restic-password <<'CLAW_EOF'\n<secret:RESTIC_PASSWORD>\n/m);
    expect(text).toContain("RESTIC_REPOSITORY='sftp:u123456@u123456.your-storagebox.de:/home/openclaw'");
    expect(text).toContain("ssh-keygen -q -t ed25519 -N '' -C claw-setup-backup@203.0.113.10 -f /etc/claw-setup/offsite/id_ed25519");
    expect(text).toContain('u123456.your-storagebox.de ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIICf9SmqgMHDF0O8IokqjwB9Hq0xLJV8Mt4xQuPvxXwT');
    expect(text).toContain('StrictHostKeyChecking=yes');
    expect(text).toContain('systemctl enable --now openclaw-restore-test.timer');
    expect(step.next?.map((n) => n.command ?? n.text)).toContain('sudo cat /etc/claw-setup/offsite/id_ed25519.pub');
    for (const x of everyAction(plan)) if (x.kind === 'run') expect(x.argv.join(' ')).not.toContain(SENTINEL_PW);
    expect(planSecrets(plan).map((s) => s.name)).toContain('RESTIC_PASSWORD');
  });

  it('without the off-server copy: no age, no restic, but the monthly restore test', () => {
    const text = printPlan(planFor(fixture('full')).plan, { host: 'h', identityFile: '~/.ssh/id' });
    expect(text).not.toMatch(/\brestic\b/);
    expect(text).toContain('/usr/local/sbin/openclaw-restore-test');
  });

  it('the SFTP command pins the host key when given, else pins on first contact; no agent, no forwarding', () => {
    const r = parseResticRepository('sftp://u1@box.example.com:23//srv/repo');
    if (typeof r === 'string' || r.kind !== 'sftp') throw new Error(r as string);
    expect(sftpCommand(r, true)).toContain('-o StrictHostKeyChecking=yes');
    expect(sftpCommand(r, false)).toContain('-o StrictHostKeyChecking=accept-new');
    expect(sftpCommand(r, false)).toMatch(/-o ForwardAgent=no -o ClearAllForwardings=yes .* -p 23 u1@box\.example\.com -s sftp$/);
  });
});

describe('backups step', () => {
  it('is left out when backups.enabled is false', () => {
    expect(planFor(answersWith({ backups: { enabled: false } })).plan.steps.some((s) => s.id === 'backups')).toBe(false);
  });

  it('without the off-server copy: the root-only directory, then the backup job, then the restore-test job', () => {
    const step = planFor(fixture('full')).plan.steps.find((s) => s.id === 'backups')!;
    const lines = actionLines(step.actions);
    expect(lines[0]).toBe('install -d -m 0700 /var/backups/openclaw');
    expect(lines.filter((l) => l.startsWith('systemctl enable --now'))).toEqual([
      'systemctl enable --now openclaw-backup.timer',
      'systemctl enable --now openclaw-restore-test.timer',
    ]);
    expect(step.next?.map((n) => n.command)).toEqual(['claw-setup backup --answers FILE', 'claw-setup restore --answers FILE [--from ARCHIVE]']);
  });

  it('with it: age and restic come before the wrapper, and the wrapper before the backup job that calls it', () => {
    const lines = actionLines(planFor(fixture('offsite')).plan.steps.find((s) => s.id === 'backups')!.actions);
    const at = (l: string) => lines.indexOf(l);
    expect(lines.findIndex((l) => l.endsWith('install --no-install-recommends age restic'))).toBeGreaterThan(0);
    expect(lines.findIndex((l) => l.endsWith('install --no-install-recommends age restic'))).toBeLessThan(at('write /usr/local/sbin/claw-restic'));
    expect(at('write /usr/local/sbin/claw-restic')).toBeLessThan(at('write /usr/local/sbin/openclaw-backup'));
  });
});
