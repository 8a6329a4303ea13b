/**
 * Parses one OpenSSH public key line ("ssh-ed25519 AAAA… comment") and checks
 * its type and strength. Options before the key type (command="…", from="…")
 * are refused: we write these lines into authorized_keys and they must grant
 * a plain login and nothing else.
 */

export interface PublicKey {
  type: string;
  blob: string;
  comment: string;
  bits: number;
  /** The normalised line we write into authorized_keys. */
  line: string;
}

const TYPES: Record<string, string> = {
  'ssh-ed25519': 'ed25519',
  'ecdsa-sha2-nistp256': 'ecdsa',
  'ecdsa-sha2-nistp384': 'ecdsa',
  'ecdsa-sha2-nistp521': 'ecdsa',
  'ssh-rsa': 'rsa',
  'sk-ssh-ed25519@openssh.com': 'ed25519-sk',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'ecdsa-sk',
};

function readString(buf: Buffer, off: number): [Buffer, number] {
  if (off + 4 > buf.length) throw new Error('truncated key');
  const len = buf.readUInt32BE(off);
  if (len > buf.length - off - 4) throw new Error('truncated key');
  return [buf.subarray(off + 4, off + 4 + len), off + 4 + len];
}

const KEY_TYPES_HINT = 'use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa (3072 bits or more), with no options before the type';

/**
 * Returns the parsed key, or a message saying what is wrong with it. With
 * `fromFile` the line came from a file the operator named: the message never
 * quotes any of it (the path may be a private key, a password file or
 * /etc/shadow by mistake, and error text lands in terminals and CI logs).
 */
export function parsePublicKey(input: string, o: { fromFile?: boolean } = {}): PublicKey | string {
  if (input.length > 16384) return 'public key line is too long';
  if (o.fromFile && /PRIVATE KEY/.test(input)) return 'this is a private key: name the public key (the .pub file next to it)';
  if (!/^[\x20-\x7e]+$/.test(input)) return 'public key must be one line of printable ASCII';
  const fields = input.trim().split(/ +/);
  const [type, blob, ...rest] = fields;
  if (!type || !(type in TYPES)) {
    if (o.fromFile) return `not an OpenSSH public key line (its first word is not a key type): ${KEY_TYPES_HINT}`;
    return `unsupported key type "${(type ?? '').slice(0, 40)}": ${KEY_TYPES_HINT}`;
  }
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return 'public key data is not base64';
  const comment = rest.join(' ');
  if (comment.length > 200) return 'public key comment is too long';
  if (/["'`$\\;|&<>]/.test(comment)) return 'public key comment may not hold quotes, $, \\, ;, |, &, < or >';
  let buf: Buffer;
  let bits = 0;
  try {
    buf = Buffer.from(blob, 'base64');
    const [inner, off] = readString(buf, 0);
    if (inner.toString('latin1') !== type) return 'key data does not match its type';
    if (TYPES[type] === 'ed25519') {
      const [pk] = readString(buf, off);
      if (pk.length !== 32) return 'ed25519 key has the wrong length';
      bits = 256;
    } else if (TYPES[type] === 'rsa') {
      const [, o2] = readString(buf, off); // e
      const [n] = readString(buf, o2);
      let i = 0;
      while (i < n.length && n[i] === 0) i++;
      bits = (n.length - i) * 8 - (n[i] ? Math.clz32(n[i]) - 24 : 0);
      if (bits < 3072) return `RSA key is ${bits} bits: use ed25519, or RSA of 3072 bits or more`;
    } else if (TYPES[type] === 'ecdsa') {
      const [curve] = readString(buf, off);
      bits = Number(curve.toString('latin1').replace('nistp', ''));
    } else {
      bits = 256;
    }
  } catch {
    return 'public key data is damaged (could not be parsed)';
  }
  const line = comment ? `${type} ${blob} ${comment}` : `${type} ${blob}`;
  return { type, blob, comment, bits, line };
}

export function looksLikeKeyLine(s: string): boolean {
  return /^(ssh-|ecdsa-|sk-)/.test(s.trim());
}
