import type { Executor } from '../exec/types.js';
import { StepFailedError } from '../core/errors.js';
import type { ConnectOptions } from './connect.js';
import { openLink, type OpenLink } from './session.js';

/**
 * After a run: does the server need a reboot to finish its updates (Debian and Ubuntu's
 * /var/run/reboot-required), and a reboot that is proven by a fresh login afterwards.
 */

/** The packages that asked for a reboot (maybe none named), or null when no reboot is needed. */
export async function rebootRequired(exec: Executor): Promise<string[] | null> {
  const r = await exec.run(['sh', '-c', 'test -e /var/run/reboot-required || exit 3; cat /var/run/reboot-required.pkgs 2>/dev/null; true'], {
    purpose: 'probe',
    timeoutSec: 30,
  });
  if (r.code === 3) return null;
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[a-z0-9][a-z0-9+.-]*$/.test(l));
}

const BOOT_ID = ['cat', '/proc/sys/kernel/random/boot_id'];

/**
 * Reboots and waits for the server to come back: the reboot is handed to systemd a few seconds
 * out (so the command returns before the connection drops), the admin connection is closed, then
 * brand-new logins (as root, falling back to the deploy user: root login is off by now) are tried
 * until one works and the boot id has changed. Nothing to revert: no dead-man switch is armed at
 * this point (verify checked), and the boot-time unit would restore one that was.
 */
export async function rebootAndWait(link: OpenLink, o: ConnectOptions, say: (s: string) => void, timeoutSec = 300): Promise<{ seconds: number; user: string }> {
  const before = (await link.exec.run(BOOT_ID, { purpose: 'probe', timeoutSec: 30 })).stdout.trim();
  const r = await link.exec.run(['systemd-run', '--on-active=3', '--unit', 'claw-setup-reboot', 'systemctl', 'reboot'], { purpose: 'action', timeoutSec: 30 });
  if (r.code !== 0) throw new Error(`could not schedule the reboot: ${r.stderr.trim().slice(0, 200)}`);
  await link.close();
  const started = Date.now();
  say('claw-setup: rebooting; waiting for the server to come back (a fresh login must work)…');
  await sleep(8000);
  let last = '';
  while (Date.now() - started < timeoutSec * 1000) {
    let again: OpenLink | null = null;
    try {
      again = await openLink({ ...o, readOnly: true });
      const now = (await again.exec.run(BOOT_ID, { purpose: 'probe', timeoutSec: 30 })).stdout.trim();
      if (now && now !== before) return { seconds: (Date.now() - started) / 1000, user: again.user };
    } catch (e) {
      // Down, refusing, or half up while it boots: try again until the time is up.
      last = (e as Error).message.split('\n')[0];
    } finally {
      await again?.close();
    }
    await sleep(3000);
  }
  throw new StepFailedError(`the server did not come back within ${timeoutSec}s of the reboot${last ? ` (last try: ${last})` : ''}`, [
    "Nothing was armed, so nothing will be undone; look at the server's console at your provider.",
  ]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
