import { describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { allSecrets, secretsFor } from '../src/answers/secrets.js';
import { loadKeys } from '../src/answers/load.js';
import { redactKnown, redactText, revealText } from '../src/core/secret.js';
import { assumedFacts } from '../src/plan/facts.js';
import { planContext } from '../src/plan/context.js';
import { printPlan } from '../src/plan/print.js';
import { renderAnswersFile } from '../src/ui/answers-file.js';
import { buildPlan } from '../steps/index.js';
import { everyAction, sentinels } from './helpers.js';

/**
 * Issue 13 item 10: the ntfy topic works as a password for the alert feed. It
 * prints as <secret:NTFY_TOPIC> in plans, is never written to the saved answers
 * or the server's journal, and still reaches the root-only monitoring.env.
 */
const TOPIC = 'ntfyS3NT1NELtopic42';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzac/xuB9gNpgB4w5HHB6XCSigKaq1/D/1Wknm6DDhs you@laptop';

function planWith(ntfyTopic: unknown, env: NodeJS.ProcessEnv = {}) {
  const a = answersSchema.parse({ target: { host: '203.0.113.10' }, deployUser: { authorizedKeys: [KEY] }, monitoring: { ntfyTopic } });
  // The other secrets are sentinels typed at prompts; the topic comes from the answers (inline) or its reference.
  const others = Object.fromEntries(Object.entries(sentinels()));
  const secrets = secretsFor(a, env, others);
  const ctx = planContext(a, assumedFacts('debian-12', 'root', '198.51.100.7'), secrets, loadKeys(a));
  const plan = buildPlan(ctx);
  return { a, secrets, plan, printed: printPlan(plan, { host: '203.0.113.10', identityFile: '~/.ssh/id_ed25519' }) };
}

function files(plan: ReturnType<typeof buildPlan>) {
  return everyAction(plan).filter((x) => x.kind === 'write');
}

describe.each([
  ['written inline in the answers (older files, the wizard’s text field)', TOPIC, {}],
  ['from { env }', { env: 'MY_NTFY_TOPIC' }, { MY_NTFY_TOPIC: TOPIC }],
] as const)('the ntfy topic %s', (_what, ref, env) => {
  const { a, secrets, plan, printed } = planWith(ref, env);

  it('never appears in the printed plan; the plan shows <secret:NTFY_TOPIC>', () => {
    expect(printed).not.toContain(TOPIC);
    expect(JSON.stringify(plan)).not.toContain(TOPIC);
    expect(printed).toContain("NTFY_URL='https://ntfy.sh/<secret:NTFY_TOPIC>'");
    expect(plan.steps.find((s) => s.id === 'monitoring')!.summary.join('\n')).toContain('topic <secret:NTFY_TOPIC>');
  });

  it('never appears in the journal the verify step writes', () => {
    const journal = files(plan).find((w) => w.path === '/var/lib/claw-setup/journal.json')!;
    expect(journal).toBeDefined();
    const text = revealText(journal.content);
    expect(text).not.toContain(TOPIC);
    const recorded = JSON.parse(text) as { answers: { monitoring: { ntfyTopic: unknown } } };
    expect(recorded.answers.monitoring.ntfyTopic).toEqual(typeof ref === 'string' ? { env: 'NTFY_TOPIC' } : ref);
    // The journal still validates as answers (add-channel reads it back).
    expect(answersSchema.safeParse(recorded.answers).success).toBe(true);
  });

  it('never appears in the saved answers file, which says which variable to set', () => {
    const saved = renderAnswersFile(a, []);
    expect(saved).not.toContain(TOPIC);
    expect(saved).toContain('"ntfyTopic": {\n      "env": ');
    if (typeof ref === 'string') expect(saved).toContain('//   export NTFY_TOPIC=…   # ntfy topic for alerts');
  });

  it('still reaches the health check: monitoring.env, root only (600), holds the URL with the topic', () => {
    const envFile = files(plan).find((w) => w.path === '/etc/claw-setup/monitoring.env')!;
    expect(envFile.mode).toBe(0o600);
    expect(redactText(envFile.content)).not.toContain(TOPIC);
    expect(revealText(envFile.content)).toContain(`NTFY_URL='https://ntfy.sh/${TOPIC}'`);
  });

  it('is redacted from process output like every other secret', () => {
    expect(allSecrets(secrets).map((s) => s.name)).toContain('NTFY_TOPIC');
    expect(redactKnown(`curl: (22) https://ntfy.sh/${TOPIC} returned 500`, allSecrets(secrets))).toBe(
      'curl: (22) https://ntfy.sh/<secret:NTFY_TOPIC> returned 500',
    );
  });
});

describe('ntfyTopic in the answers', () => {
  it('takes a topic, { env }, { file } or null; refuses anything else', () => {
    const parse = (t: unknown) => answersSchema.safeParse({ monitoring: { ntfyTopic: t } });
    expect(parse('my-alerts').success).toBe(true);
    expect(parse({ env: 'NTFY_TOPIC' }).success).toBe(true);
    expect(parse({ file: '~/.config/ntfy-topic' }).success).toBe(true);
    expect(parse(null).success).toBe(true);
    const bad = parse('alerts; curl evil');
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].message).toBe('ntfy topics use letters, digits, _ and - only');
    expect(parse({ env: 'x y' }).success).toBe(false);
  });

  it('without a topic, nothing is planned for ntfy', () => {
    const { plan, secrets } = planWith(null);
    expect(secrets.ntfyTopic).toBeNull();
    expect(redactText(files(plan).find((w) => w.path === '/etc/claw-setup/monitoring.env')!.content)).not.toContain('NTFY_URL');
  });
});
