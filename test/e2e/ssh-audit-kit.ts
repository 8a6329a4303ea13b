/**
 * What ssh-audit.e2e.test.ts judges with: ssh-audit's text output parsed into algorithms and notes,
 * the few ssh-audit 2.5.0 judgements tolerated (each with its reason), and a raw-socket probe of the
 * Diffie-Hellman group size sshd hands out. No host is booted here; the e2e file does that.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export const CATEGORIES = ['kex', 'key', 'enc', 'mac'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Level = 'fail' | 'warn' | 'info';
interface Algorithm {
  category: Category;
  name: string;
  /** "(3072-bit)" after the name: RSA host key size, or the DH group-exchange modulus ssh-audit got. */
  bits?: number;
  notes: { level: Level; text: string }[];
}
export interface Audit {
  exitCode: number | null;
  algorithms: Algorithm[];
  raw: string;
}

/**
 * ssh-audit 2.5.0 warnings that are about ssh-audit's age, not about the server. Nothing else is
 * tolerated; each entry matches one algorithm and one note exactly.
 */
const TOLERATED: { category: Category; name: string; text: string; why: string }[] = [
  {
    category: 'kex',
    name: 'sntrup761x25519-sha512@openssh.com',
    text: 'using experimental algorithm',
    why: "OpenSSH's default key exchange since 9.0 (post-quantum hybrid); later ssh-audit releases drop this warning",
  },
  {
    category: 'kex',
    name: 'sntrup761x25519-sha512',
    text: 'unknown algorithm',
    why: 'the same hybrid under the name OpenSSH 9.9 gave it (Debian backported it); ssh-audit 2.5.0 predates the name',
  },
  {
    category: 'kex',
    name: 'kex-strict-s-v00@openssh.com',
    text: 'unknown algorithm',
    why: 'not a key exchange: the marker of the Terrapin countermeasure (strict KEX), newer than ssh-audit 2.5.0',
  },
];
const tolerated = (a: Algorithm, text: string) => TOLERATED.some((t) => t.category === a.category && t.name === a.name && t.text === text);

/** Runs ssh-audit (no colours) against the host and parses its text output (2.5.0's JSON has no findings). */
export function audit(auditor: string, host: string, port = 22): Audit {
  const r = spawnSync(auditor, ['-n', '-p', String(port), host], { encoding: 'utf8', timeout: 120_000 });
  const raw = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const algorithms: Algorithm[] = [];
  for (const line of raw.split('\n')) {
    const head = /^\((kex|key|enc|mac)\) (\S+)(?: \((\d+)-bit\))?\s*(?:-- \[(fail|warn|info)\] (.*))?$/.exec(line);
    if (head) {
      const a: Algorithm = { category: head[1] as Category, name: head[2], notes: [] };
      if (head[3]) a.bits = Number(head[3]);
      if (head[4]) a.notes.push({ level: head[4] as Level, text: head[5].trim() });
      algorithms.push(a);
      continue;
    }
    const more = /^\s+`- \[(fail|warn|info)\] (.*)$/.exec(line);
    if (more && algorithms.length) algorithms[algorithms.length - 1].notes.push({ level: more[1] as Level, text: more[2].trim() });
  }
  return { exitCode: r.status, algorithms, raw };
}

/** Per category: how many algorithms fail, how many warn (but do not fail), and how many are offered. */
export function figures(a: Audit, o: { tolerate?: boolean } = {}): Record<Category, { fail: number; warn: number; offered: number }> {
  const out = {} as Record<Category, { fail: number; warn: number; offered: number }>;
  for (const c of CATEGORIES) {
    const algs = a.algorithms.filter((x) => x.category === c);
    const has = (x: Algorithm, l: Level) => x.notes.some((n) => n.level === l && !(o.tolerate && tolerated(x, n.text)));
    out[c] = { fail: algs.filter((x) => has(x, 'fail')).length, warn: algs.filter((x) => !has(x, 'fail') && has(x, 'warn')).length, offered: algs.length };
  }
  return out;
}

export const show = (f: ReturnType<typeof figures>) => CATEGORIES.map((c) => `${c} ${f[c].fail} fail / ${f[c].warn} warn (of ${f[c].offered})`).join(', ');
export const findings = (a: Audit, c: Category, level: Level) =>
  a.algorithms
    .filter((x) => x.category === c)
    .flatMap((x) => x.notes.filter((n) => n.level === level && !tolerated(x, n.text)).map((n) => `${x.name}: ${n.text}`));

/**
 * The size of the Diffie-Hellman group sshd picks for a group-exchange request (min, preferred,
 * max bits), read straight off the wire: banner, KEXINIT, SSH_MSG_KEX_DH_GEX_REQUEST, and the
 * SSH_MSG_KEX_DH_GEX_GROUP answer (all still unencrypted). That is where /etc/ssh/moduli shows.
 */
export function gexGroupBits(host: string, port: number, min: number, n: number, max: number): Promise<number> {
  const str = (s: string | Buffer) => {
    const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const packet = (payload: Buffer) => {
    let pad = 8 - ((5 + payload.length) % 8);
    if (pad < 4) pad += 8;
    const head = Buffer.alloc(5);
    head.writeUInt32BE(1 + payload.length + pad);
    head.writeUInt8(pad, 4);
    return Buffer.concat([head, payload, randomBytes(pad)]);
  };
  const kexinit = Buffer.concat([
    Buffer.from([20]),
    randomBytes(16),
    str('diffie-hellman-group-exchange-sha256'),
    str('ssh-ed25519,rsa-sha2-512,rsa-sha2-256'),
    str('aes128-ctr'),
    str('aes128-ctr'),
    str('hmac-sha2-256-etm@openssh.com'),
    str('hmac-sha2-256-etm@openssh.com'),
    str('none'),
    str('none'),
    str(''),
    str(''),
    Buffer.from([0, 0, 0, 0, 0]),
  ]);
  const request = Buffer.alloc(13);
  request.writeUInt8(34, 0);
  request.writeUInt32BE(min, 1);
  request.writeUInt32BE(n, 5);
  request.writeUInt32BE(max, 9);
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    const timer = setTimeout(() => done(new Error('no SSH_MSG_KEX_DH_GEX_GROUP within 20 s')), 20_000);
    let buf = Buffer.alloc(0);
    let bannerSeen = false;
    const done = (e: Error | null, bits?: number) => {
      clearTimeout(timer);
      sock.destroy();
      if (e) reject(e);
      else resolve(bits!);
    };
    sock.on('error', (e) => done(e));
    sock.on('connect', () => sock.write('SSH-2.0-claw-setup-gex-probe\r\n'));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (!bannerSeen) {
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        const line = buf.subarray(0, nl).toString();
        buf = buf.subarray(nl + 1);
        if (line.startsWith('SSH-')) bannerSeen = true;
      }
      while (buf.length >= 5) {
        const len = buf.readUInt32BE(0);
        if (buf.length < 4 + len) return;
        const payload = buf.subarray(5, 4 + len - buf.readUInt8(4));
        buf = buf.subarray(4 + len);
        const type = payload[0];
        if (type === 20) sock.write(Buffer.concat([packet(kexinit), packet(request)]));
        else if (type === 31) {
          const pLen = payload.readUInt32BE(1);
          let p = payload.subarray(5, 5 + pLen);
          while (p.length && p[0] === 0) p = p.subarray(1);
          return done(null, (p.length - 1) * 8 + p[0].toString(2).length);
        } else if (type === 1) return done(new Error(`disconnected: ${payload.subarray(9).toString()}`));
      }
    });
  });
}
