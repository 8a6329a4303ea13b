import { SECRET_SHAPES, SECRETS, secretKindOf, type SecretShape } from '../answers/rules.js';
import type { Secret } from '../core/secret.js';
import { shQuote } from '../plan/shell.js';
import { vaultVar } from './text.js';

/**
 * The live path checks every secret's shape before a run (src/plan/secret-checks.ts,
 * rules in src/answers/rules.ts SECRET_SHAPES). An export never sees the values:
 * the operator fills them in later (an Ansible vault, the cloud-init placeholders),
 * so the exports carry the same rules and check the values where they arrive,
 * before anything changes. Without it a `'` or `$` in a vault value breaks out
 * of the single-quoted .env line root sources, and a newline in the sudo password
 * adds a line to what chpasswd reads.
 */

/** The shape a secret's value must have in an export: its kind's; the gateway token too (here the operator gives it). */
export function exportShape(s: Secret): SecretShape {
  const kind = secretKindOf(s.name);
  return SECRET_SHAPES[s.name === SECRETS.gatewayToken.name ? 'gatewayToken' : kind];
}

/** Characters a single-quoted env-file value cannot carry (SECRET_SHAPES' envFile rule), as a regex class. */
const ENV_UNSAFE_CLASS = '[\'"\\\\$`]';

/** A rule in plain words for the refusal message (never the value). */
export function shapeWords(shape: SecretShape): string {
  const parts = [`${shape.description}: ${shape.minLength}-${shape.maxLength} printable ASCII characters (no newline, no tab)`];
  if (shape.envFile) parts.push('with no quote, backslash, $ or backtick (it goes single-quoted into a file that is sourced)');
  return parts.join(', ');
}

/**
 * A JavaScript pattern of SECRET_SHAPES as a POSIX extended regex for bash's `=~`:
 * only the constructs those patterns use are translated (\d, (?:…), \/, escaped dots);
 * anything else throws, so a new rule cannot silently check less in the export.
 */
export function toEre(re: RegExp): string {
  const src = re.source.replace(/\\d/g, '[0-9]').replace(/\(\?:/g, '(').replace(/\\\//g, '/');
  if (/\\[^.]|\(\?|\[\^?\]/.test(src) || re.flags) throw new Error(`bug: secret pattern ${re.source} has a construct toEre cannot translate`);
  return src;
}

/** One Ansible task per vault variable: the same rules, as an assert that never prints the value. */
export function ansibleSecretChecks(secrets: Secret[]): Record<string, unknown>[] {
  return secrets.map((s) => {
    const shape = exportShape(s);
    const v = vaultVar(s);
    const that = [
      `${v} is string`,
      `${v} | length >= ${shape.minLength}`,
      `${v} | length <= ${shape.maxLength}`,
      // Printable ASCII only: removing every other character leaves the length as it was.
      `${v} | regex_replace(claw_not_printable, '') | length == ${v} | length`,
      ...(shape.pattern ? [`${v} is regex(claw_pattern)`] : []),
      ...(shape.envFile ? [`${v} is not search(claw_env_unsafe)`] : []),
    ];
    return {
      name: `Check the vault value ${v} (${s.name}) before anything changes`,
      'ansible.builtin.assert': {
        that,
        fail_msg: `${v} (${s.name}) must be ${shapeWords(shape)}; fix it in the vault (the value is not shown)`,
        quiet: true,
      },
      vars: {
        claw_not_printable: '[^ -~]',
        ...(shape.pattern ? { claw_pattern: shape.pattern.source } : {}),
        ...(shape.envFile ? { claw_env_unsafe: ENV_UNSAFE_CLASS } : {}),
      },
    };
  });
}

/**
 * Bash lines that check each secret file in `dir` (as the user-data wrote it: the
 * value and one newline) against its rules, and stop naming the secret and the
 * rule, never the value. Run before anything changes. LC_ALL=C: byte ranges.
 */
export function shellSecretChecks(secrets: Secret[], dir: string): string[] {
  if (!secrets.length) return [];
  const lines = [
    '# The secrets must have the shape claw-setup checks before a live run (src/answers/rules.ts): checked here, before anything changes.',
    'secret_bad() { echo "claw-setup: the secret $1 in the user-data $2; fix it there (the value is not shown)"; exit 1; }',
    'check_secret() {',
    '  local name=$1 file=$2 min=$3 max=$4 pattern=$5 envfile=$6 what=$7 v',
    '  local LC_ALL=C',
    '  v=$(cat -- "$file"; echo x)',
    '  v=${v%x}',
    "  v=${v%$'\\n'}",
    "  case $v in *$'\\n'*) secret_bad \"$name\" 'holds more than one line' ;; esac",
    '  [ -n "$v" ] || secret_bad "$name" "is empty"',
    '  if [[ $v =~ [^\\ -~] ]]; then secret_bad "$name" "holds a tab or other control/non-ASCII character"; fi',
    '  [ "${#v}" -ge "$min" ] || secret_bad "$name" "is shorter than $min characters"',
    '  [ "${#v}" -le "$max" ] || secret_bad "$name" "is longer than $max characters"',
    '  if [ -n "$pattern" ] && ! [[ $v =~ $pattern ]]; then secret_bad "$name" "does not look like $what"; fi',
    '  if [ "$envfile" = 1 ] && [[ $v == *[\\\'\\"\\\\\\$\\`]* ]]; then secret_bad "$name" \'holds a quote, backslash, $ or backtick, which the .env file cannot carry safely\'; fi',
    '  return 0',
    '}',
  ];
  for (const s of secrets) {
    const shape = exportShape(s);
    const pattern = shape.pattern ? toEre(shape.pattern) : '';
    lines.push(
      `check_secret ${s.name} ${shQuote(`${dir}/${s.name}`)} ${shape.minLength} ${shape.maxLength} ${shQuote(pattern)} ${shape.envFile ? 1 : 0} ${shQuote(shape.description)}`,
    );
  }
  return lines;
}
