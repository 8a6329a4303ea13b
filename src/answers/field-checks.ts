import { isIP } from 'node:net';

/**
 * Checks of single answers that validators.ts (already long) calls, and that
 * the schema runs across fields. Each returns why a value is refused, or null.
 * Messages never quote more of the value than the operator needs to find it.
 */

/**
 * The deployment directory of a deploy user: the compose project, with the
 * container's config/ and workspace/ inside. Mirrors serverPaths().composeDir
 * (src/plan/paths.ts, a layer above; test/findings-answers.test.ts keeps them equal).
 */
export function deploymentDirOf(user: string): string {
  return `/home/${user}/openclaw`;
}

/**
 * Why `dir` cannot hold the backups of a deployment in `deploymentDir`: root's
 * backup job must never write into (or read back from) a tree the container or
 * the deploy user can write, where a planted symlink or a swapped directory
 * redirects it, and where the agent could read every archive (every key).
 */
export function backupDirInDeploymentProblem(dir: string, deploymentDir: string): string | null {
  if (dir === deploymentDir || dir.startsWith(`${deploymentDir}/`))
    return `backups.dir ${dir.slice(0, 80)} is inside the deployment (${deploymentDir}: the container's config/ and workspace/ live there, and it can write them); give a directory of its own, e.g. /var/backups/openclaw`;
  return null;
}

/** 10/8, 172.16/12, 192.168/16 and loopback 127/8: addresses a self-hosted Bot API server may use without TLS. */
export function isPrivateOrLoopbackV4(host: string): boolean {
  if (isIP(host) !== 4) return false;
  const [a, b] = host.split('.').map(Number);
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/**
 * A plain-http Telegram apiRoot: the bot token is part of every request's path,
 * so over http it crosses the network in clear. Allowed only to a loopback or
 * private address (a Bot API server on the same host or LAN, and the tests'
 * fake at http://10.77.N.1:PORT); anything else must be https.
 */
export function botApiRootProblem(url: string): string | null {
  const m = /^http:\/\/([A-Za-z0-9.-]+)(?=[:/]|$)/i.exec(url);
  if (!m) return null;
  const host = m[1].toLowerCase();
  if (host === 'localhost' || isPrivateOrLoopbackV4(host)) return null;
  return `apiRoot http://${host.slice(0, 80)} would send the bot token in clear: use https://, or http:// only to localhost or a private address (10.x, 172.16-31.x, 192.168.x, 127.x)`;
}

/** One age X25519 identity line, as age-keygen writes it. */
export const AGE_IDENTITY_LINE = /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/;

/**
 * The two secrets `claw-setup restore` reads from the laptop are not typed
 * values: an archive (base64 of up to 512 MB) and an age identity file (one
 * AGE-SECRET-KEY-1… line per key, several keys allowed). The generic rules
 * (4096 characters, one line) would refuse both, so they get their own, by the
 * names src/cli/backup.ts gives them. Undefined for any other secret.
 */
export function restoreInputProblem(name: string, value: string): string | null | undefined {
  if (name === 'ARCHIVE') return /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? null : 'is not base64 (the archive could not be read)';
  if (name === 'AGE_IDENTITY')
    return value.split('\n').every((l) => AGE_IDENTITY_LINE.test(l)) ? null : 'is not an age identity (AGE-SECRET-KEY-1… lines, as age-keygen writes them)';
  return undefined;
}
