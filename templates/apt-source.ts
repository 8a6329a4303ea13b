import type { OsInfo } from '../src/plan/facts.js';

/** One deb822 source: what `renderAptSource` writes. */
export interface AptSource {
  name: string;
  uris: string;
  suites: string;
  components: string;
  signedBy: string;
  architectures?: string;
}

/** A third-party repository: where its signing key comes from and lives, and its .sources file. */
export interface AptRepo {
  /** Where to download the repository's signing key (https). */
  keyUrl: string;
  /** Where the key is stored; the .sources file's Signed-By points here. */
  keyringPath: string;
  /** The /etc/apt/sources.list.d/*.sources file. */
  sourcePath: string;
  /** Its content. */
  text: string;
}

const FIELD = /^[\x21-\x7e]+( [\x21-\x7e]+)*$/;

/**
 * A deb822 `.sources` file. `Signed-By` pins the repository to its own key, so a
 * key added for Docker can never sign packages for any other repository.
 */
export function renderAptSource(src: AptSource): string {
  const fields: [string, string | undefined][] = [
    ['URIs', src.uris],
    ['Suites', src.suites],
    ['Components', src.components],
    ['Architectures', src.architectures],
    ['Signed-By', src.signedBy],
  ];
  for (const [k, v] of [['name', src.name] as [string, string], ...fields]) {
    if (v !== undefined && !FIELD.test(v)) throw new Error(`apt source ${k} must be printable text on one line, got "${v.slice(0, 60)}"`);
  }
  const lines = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`);
  return `# ${src.name}, added by claw-setup.
Types: deb
${lines.join('\n')}
`;
}

/** Docker CE's repository (docs.docker.com/engine/install): ASCII-armoured key in /etc/apt/keyrings. */
export function dockerAptSource(os: OsInfo): AptRepo {
  const base = `https://download.docker.com/linux/${os.id}`;
  const keyringPath = '/etc/apt/keyrings/docker.asc';
  return {
    keyUrl: `${base}/gpg`,
    keyringPath,
    sourcePath: '/etc/apt/sources.list.d/docker.sources',
    text: renderAptSource({ name: 'Docker CE', uris: base, suites: os.codename, components: 'stable', signedBy: keyringPath }),
  };
}

/** Tailscale's stable repository (pkgs.tailscale.com): a binary ("noarmor") keyring. */
export function tailscaleAptSource(os: OsInfo): AptRepo {
  const base = `https://pkgs.tailscale.com/stable/${os.id}`;
  const keyringPath = '/usr/share/keyrings/tailscale-archive-keyring.gpg';
  return {
    keyUrl: `${base}/${os.codename}.noarmor.gpg`,
    keyringPath,
    sourcePath: '/etc/apt/sources.list.d/tailscale.sources',
    text: renderAptSource({ name: 'Tailscale', uris: base, suites: os.codename, components: 'main', signedBy: keyringPath }),
  };
}

/**
 * Caddy's stable repository on Cloudsmith (one suite, "any-version", for every
 * Debian/Ubuntu release). The key is ASCII-armoured; apt reads a `.asc` file in
 * Signed-By directly, so no `gpg --dearmor` step (and no gnupg package) is needed.
 */
export function caddyAptSource(): AptRepo {
  const keyringPath = '/etc/apt/keyrings/caddy-stable.asc';
  return {
    keyUrl: 'https://dl.cloudsmith.io/public/caddy/stable/gpg.key',
    keyringPath,
    sourcePath: '/etc/apt/sources.list.d/caddy-stable.sources',
    text: renderAptSource({
      name: 'Caddy stable',
      uris: 'https://dl.cloudsmith.io/public/caddy/stable/deb/debian',
      suites: 'any-version',
      components: 'main',
      signedBy: keyringPath,
    }),
  };
}
