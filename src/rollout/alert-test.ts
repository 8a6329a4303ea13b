import { plansStep, type Answers } from '../answers/schema.js';
import type { Executor } from '../exec/types.js';
import { alertTestReport, parseAlertTest, type AlertResult } from '../plan/alert-test.js';
import { renderAlertTestScript } from '../../templates/alert-test-script.js';

/**
 * The test alert, shared by `claw-setup alert-test` and the end of the wizard (Ink and plain):
 * one run of templates/alert-test-script.ts as root over an open admin connection. The script
 * reads the targets from the server's monitoring.env and hands each URL to curl on stdin, so no
 * URL (a secret: the ntfy topic, the Discord webhook) ever travels from here or shows in argv.
 */

export type AlertTarget = 'ntfy' | 'discord';
export type AlertResults = Record<AlertTarget, AlertResult>;

export interface AlertTestOutcome {
  results: AlertResults;
  /** One line per target (`ntfy     delivered: …`); never a URL or topic. */
  lines: string[];
  /** 0 every configured target took it, 2 one failed, null none is configured on the server. */
  code: 0 | 2 | null;
}

/** Sends one test alert through every target configured on the server. */
export async function sendTestAlert(exec: Executor, a: Answers): Promise<AlertTestOutcome> {
  const r = await exec.run(['bash', '-c', renderAlertTestScript(a)], { purpose: 'probe', timeoutSec: 60 });
  const results = parseAlertTest(r.stdout);
  return { results, ...alertTestReport(results) };
}

/** The alert targets these answers configure on the server; none when monitoring is off or the plan stops before it. */
export function alertTargets(a: Answers): AlertTarget[] {
  const m = a.monitoring;
  if (!m.enabled || !plansStep(a, 'monitoring')) return [];
  return [...(m.ntfyTopic ? (['ntfy'] as const) : []), ...(m.discordWebhook ? (['discord'] as const) : [])];
}

const NAMES: Record<AlertTarget, string> = { ntfy: 'ntfy', discord: 'Discord' };

/** "ntfy and Discord". */
export const targetNames = (t: AlertTarget[]): string => t.map((x) => NAMES[x]).join(' and ');

/**
 * How to find out why a test alert did not arrive. Names where to look, never the ntfy topic
 * (anyone who knows it can read the alerts) nor the Discord webhook URL (anyone who has it can post).
 */
export function alertHelp(a: Answers, results: AlertResults | null): string[] {
  const out: string[] = [];
  const targets = alertTargets(a);
  if (targets.includes('ntfy')) {
    const server = a.monitoring.ntfyServer.replace(/\/+$/, '');
    out.push(
      `ntfy: open your ntfy topic on ${server} in the ntfy app (subscribe to it) or a browser, and check the app's notification settings; the topic is monitoring.ntfyTopic in your answers (not shown here: anyone who knows it can read your alerts)`,
    );
    if (results?.ntfy === 'failed')
      out.push(`ntfy: the server could not post to ${server}: check that it can reach it (outbound HTTPS) and the server address`);
  }
  if (targets.includes('discord')) {
    out.push(
      'Discord: look in the channel your webhook posts to, and check that the webhook still exists (channel settings → Integrations → Webhooks); its URL is a secret and is not shown here',
    );
    if (results?.discord === 'failed')
      out.push('Discord: the server could not post to the webhook: check the webhook URL you gave and that the server can reach discord.com');
  }
  out.push('send another test alert any time: claw-setup alert-test (with the same target flags)');
  return out;
}
