/**
 * The shapes testhost.ts deals in (images, boot options, a booted host, key pairs), apart from the
 * code that drives testhost.sh so the API reads in one place. testhost.ts re-exports all of them.
 */

/**
 * The images a test host can boot: `debian-12` (bookworm, the default) or `debian-13` (trixie,
 * whose offline repo also holds docker.io, docker-cli, containerd, runc, docker-compose v2, tini,
 * caddy and busybox-static).
 */
export type TestHostImage = 'debian-12' | 'debian-13';

/** Every image testhost.sh can build; the first is the default. */
export const TESTHOST_IMAGES: readonly TestHostImage[] = ['debian-12', 'debian-13'];

/** Options of bootHost. */
export interface BootHostOptions {
  /** Public key file for root's authorized_keys. */
  adminPubKey: string;
  /** Its private key (used to wait for the first SSH login). */
  adminKey: string;
  timeoutMs?: number;
  /** Which image to boot (default `debian-12`). Build it first with `ensureImage(image)`. */
  image?: TestHostImage;
  /**
   * Make the host able to run Docker (not installed: install docker.io from the offline repo):
   * all capabilities but CAP_SYS_MODULE, runc's keyring syscalls allowed, writable cgroup v1
   * controllers (unit th-docker-cgroups.service, before containerd/docker), and /var/lib/docker
   * on a plain directory of this machine so dockerd uses overlay2. See README.md for the caveats.
   */
  docker?: boolean;
}

/** Result of a command run inside a test host. `code` is the exit status (128+N for signal N). */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What `testhost.sh up`/`info` print (one JSON line). */
export interface HostInfo {
  name: string;
  index: number;
  /** The test host's address (its end of the veth). */
  ip: string;
  /** This machine's address on the veth, the source of ordinary connections to `ip`. */
  hostIp: string;
  /** Host PID of the container's PID 1 (systemd) when the line was printed; null if not running. */
  pid1: number | null;
  /** known_hosts file already holding the host's fresh host keys (for StrictHostKeyChecking=yes). */
  knownHosts: string;
  /** The host's root filesystem as seen from this machine (overlayfs merged dir). */
  root: string;
  state: 'running' | 'stopped';
  /** systemd-nspawn's console output (boot messages). */
  log: string;
  /** The image the host runs on. */
  image: TestHostImage;
  /** Whether the host was booted ready for Docker (`up --docker`). */
  docker: boolean;
}

/** A booted test host. */
export interface TestHost {
  readonly name: string;
  readonly index: number;
  readonly ip: string;
  readonly hostIp: string;
  readonly knownHosts: string;
  readonly root: string;
  readonly log: string;
  /** The image the host runs on (`debian-12` unless bootHost was given another). */
  readonly image: TestHostImage;
  /** Whether the host was booted with `docker: true`. */
  readonly docker: boolean;
  /** Host PID of the container's PID 1, looked up afresh on each read (it changes on reboot). */
  readonly pid1: number;
  /**
   * Runs `cmd` (argv, no shell) inside the host out of band, through `nsenter` into all of PID 1's
   * namespaces: the "provider web console" that still works when SSH is locked out.
   */
  exec(cmd: string[], options?: { input?: string; timeoutMs?: number }): ExecResult;
  /** Adds `ip` (e.g. 10.77.N.3, a "second client") to this machine's end of the veth. */
  addSourceAddress(ip: string): void;
  /** Removes an address added with addSourceAddress. */
  removeSourceAddress(ip: string): void;
  /**
   * OpenSSH client options for this host: no user config, only `identityFile`, batch mode, and
   * strict host key checking against `knownHosts`. Append `user@ip` and the command.
   */
  sshOptions(identityFile: string): string[];
  /**
   * Waits until `docker info` answers inside the host (Docker must have been installed and
   * started, e.g. by the rollout); throws with docker's last error after `timeoutMs` (60 s).
   */
  waitForDocker(timeoutMs?: number): void;
  /**
   * `docker import` of a root filesystem tarball on this machine into the host's Docker, as image
   * `tag` (e.g. `ghcr.io/openclaw/openclaw:2026.9.6`), with one `--change` per entry of `changes`
   * (Dockerfile lines such as `USER 1000`, `WORKDIR /app`, `ENV A=b`, `CMD ["node","x.js"]`). No
   * registry is involved: the tarball is streamed to `docker import -` on stdin through nsenter
   * (out of band, like exec). Works whenever dockerd runs in the host (waits for it like
   * waitForDocker). Returns the new image ID (`sha256:…`); throws on failure.
   */
  dockerImport(tarPath: string, tag: string, changes?: readonly string[], options?: { timeoutMs?: number }): string;
  /**
   * `docker load` of an image archive made by `docker save` (any machine), streamed on stdin like
   * dockerImport. Returns docker's output ("Loaded image: name:tag"); throws on failure.
   */
  dockerLoad(tarPath: string, options?: { timeoutMs?: number }): string;
  /** Stops the host and removes everything it left behind. Idempotent. */
  down(options?: { fast?: boolean }): Promise<void>;
}

/** An ed25519 key pair made by makeKeyPair. */
export interface KeyPair {
  privateKey: string;
  publicKey: string;
  /** The public key line ("ssh-ed25519 AAAA… comment"). */
  publicKeyText: string;
}
