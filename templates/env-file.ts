import type { Answers } from '../src/answers/schema.js';
import { PROVIDER_KEYS, PROVIDER_NAMES, SECRETS } from '../src/answers/rules.js';
import type { Secrets } from '../src/answers/secrets.js';
import { joinText, redactText, secretText, type SecretText } from '../src/core/secret.js';
import { envOrder } from './env-order.js';

/**
 * The compose project's `.env` (next to docker-compose.yml; compose passes it to
 * the gateway with `env_file`). It holds every secret the gateway needs and
 * nothing else secret: the gateway token, the key of each configured model
 * provider, and each channel credential (openclaw.json refers to them with
 * `{ source: "env" }` SecretRefs, so no secret is ever in openclaw.json).
 *
 * Values are single-quoted: compose's dotenv parser then takes them literally
 * (no `${…}` interpolation, no ` #` comment stripping). The values themselves
 * are generated hex or provider tokens; none holds a quote or a newline.
 * `kept`: on a rerun, the lines of the server's .env that the answers do not
 * write, each `NAME=value` exactly as it was (values are secrets). `serverOrder`: on a
 * rerun, the names in the server's .env as they come there (see env-order.ts).
 */
export function renderEnvFile(a: Answers, s: Secrets, kept: readonly SecretText[] = [], serverOrder: readonly string[] = []): SecretText {
  const lines: SecretText[] = [secretText`${SECRETS.gatewayToken.envVar}='${s.gatewayToken}'\n`];
  for (const p of PROVIDER_NAMES) {
    const secret = a.openclaw.providers[p] ? s.providers[p] : undefined;
    if (secret) lines.push(secretText`${PROVIDER_KEYS[p].envVar}='${secret}'\n`);
  }
  // Channel credentials are keyed by their .env variable (CHANNEL_SECRETS in rules.ts, via secretsFor).
  for (const [name, secret] of Object.entries(s.channels).sort(([x], [y]) => x.localeCompare(y))) {
    lines.push(secretText`${name}='${secret}'\n`);
  }
  // Lines the server's .env has that these answers do not write (added by hand or by add-channel), as they were.
  lines.push(...kept);
  lines.push(['TZ=UTC\n']);
  const byName = new Map(lines.map((l) => [lineName(l), l] as const));
  const header =
    '# OpenClaw gateway environment, written by claw-setup.\n' +
    '# Holds secrets: keep it mode 600, owned by the deploy user. Never commit it or paste it anywhere.\n' +
    '# Rerun `claw-setup` (or `claw-setup add-channel`) to change it.\n';
  return joinText([header, ...envOrder([...byName.keys()], serverOrder).map((n) => byName.get(n)!)]);
}

/** The variable a `NAME=value` line sets (read from its printable form: the value may be a secret). */
const lineName = (line: SecretText): string => redactText(line).split('=', 1)[0];
