/**
 * A tiny Docker image for test hosts, built on this machine without a registry: kept apart from
 * testhost.ts because it is image tooling (dpkg-deb, tar), not host lifecycle. Re-exported there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `--change` lines for the image that makeBusyboxRootfs builds: busybox httpd on port 8080 as
 * nobody (65534), serving /www, in the foreground.
 */
export const BUSYBOX_HTTPD_CHANGES: readonly string[] = ['CMD ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]', 'USER 65534:65534', 'WORKDIR /www'];

/**
 * Writes a tiny root filesystem tarball (about 2 MB) for `dockerImport`: the static busybox from
 * the `busybox-static` .deb in an image's offline repo (`imageRoot`/var/local/th-apt, e.g. a
 * debian-13 host's `host.root`), /bin/sh and a few applets as links, /etc/passwd and /etc/group
 * with root and nobody, /tmp, and /www holding `index.html` ("testhost busybox") and `healthz`
 * (`{"ok":true}`). `files` adds or replaces files (absolute paths inside the image). Import it with
 * `host.dockerImport(tar, tag, BUSYBOX_HTTPD_CHANGES)` to get an HTTP server on port 8080.
 * Needs dpkg-deb and tar on this machine. Returns `outTar`.
 */
export function makeBusyboxRootfs(outTar: string, imageRoot: string, files: Record<string, string> = {}): string {
  const repo = join(imageRoot, 'var/local/th-apt');
  const deb = existsSync(repo) ? readdirSync(repo).find((f) => f.startsWith('busybox-static_') && f.endsWith('.deb')) : undefined;
  if (!deb) {
    throw new Error(
      `no busybox-static .deb in ${repo}: the debian-13 image has one; for debian-12 build with TH_EXTRA_PACKAGES=busybox-static (build --force)`,
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'th-busybox-'));
  try {
    const x = spawnSync('dpkg-deb', ['-x', join(repo, deb), join(work, 'deb')], { encoding: 'utf8' });
    if (x.status !== 0) throw new Error(`dpkg-deb -x ${deb} failed: ${x.error?.message ?? x.stderr}`);
    const root = join(work, 'root');
    for (const d of ['bin', 'etc', 'tmp', 'www']) mkdirSync(join(root, d), { recursive: true, mode: 0o755 });
    const bin = ['usr/bin/busybox', 'bin/busybox'].map((p) => join(work, 'deb', p)).find((p) => existsSync(p));
    if (!bin) throw new Error(`${deb} has no busybox binary`);
    writeFileSync(join(root, 'bin/busybox'), readFileSync(bin), { mode: 0o755 });
    for (const applet of ['sh', 'httpd', 'wget', 'cat', 'echo', 'id', 'ls', 'sleep', 'env']) symlinkSync('busybox', join(root, 'bin', applet));
    const content: Record<string, string> = {
      '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
      '/etc/group': 'root:x:0:\nnogroup:x:65534:\n',
      '/www/index.html': '<h1>testhost busybox</h1>\n',
      '/www/healthz': '{"ok":true}\n',
      ...files,
    };
    for (const [path, text] of Object.entries(content)) {
      const target = join(root, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text, { mode: 0o644 });
    }
    spawnSync('chmod', ['1777', join(root, 'tmp')]);
    mkdirSync(dirname(outTar), { recursive: true });
    const t = spawnSync('tar', ['--owner=0', '--group=0', '--numeric-owner', '-C', root, '-cf', outTar, '.'], { encoding: 'utf8' });
    if (t.status !== 0) throw new Error(`tar failed: ${t.error?.message ?? t.stderr}`);
    return outTar;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
