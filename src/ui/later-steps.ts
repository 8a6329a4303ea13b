import type { Answers } from '../answers/schema.js';

/**
 * The Done screen's "Next" list after a setup: what people come back for, each with its command
 * (the token, a channel later, pairing a sender or WhatsApp, proving a first reply, alerts).
 */
export function laterSteps(a: Answers, dryRun: boolean, readToken: string | undefined): string[] {
  const chats = a.openclaw.channels.filter((c) => c.type !== 'whatsapp');
  return [
    ...(readToken ? [`read the gateway token when you need it: ${readToken}`] : []),
    dryRun ? 'read the whole plan in the file named below' : 'add a messaging channel later: npx claw-setup add-channel',
    ...(a.openclaw.channels.some((c) => c.type === 'whatsapp') ? ['WhatsApp: link the account with a QR code here: npx claw-setup pair whatsapp'] : []),
    ...chats
      .filter((c) => c.dmPolicy === 'pairing')
      .map((c) => `${c.type}: approve who may talk to the bot (they DM it, OpenClaw answers a code): npx claw-setup pair ${c.type}`),
    ...(chats.length ? ['see the bot answer: npx claw-setup first-reply, then send it a message (names the hop that fails)'] : []),
    // The topic is not shown: anyone who knows it can read the alerts.
    ...(a.monitoring.enabled && a.monitoring.ntfyTopic
      ? [`get alerts: subscribe to your ntfy topic on ${a.monitoring.ntfyServer} (ntfy app or web page)`]
      : []),
  ];
}
