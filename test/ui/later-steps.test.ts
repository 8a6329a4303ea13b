// The Done screen's "Next" list: pairing and WhatsApp name claw-setup's own commands (WhatsApp
// pointed at `openclaw channels login` inside the container), and a chat channel gets first-reply.
import { describe, expect, it } from 'vitest';
import { laterSteps } from '../../src/ui/later-steps.js';
import { answersWith } from '../helpers.js';

describe('next steps after a setup', () => {
  it('no channel: the token and add-channel only', () => {
    expect(laterSteps(answersWith(), false, 'ssh deploy@h sudo grep …')).toEqual([
      'read the gateway token when you need it: ssh deploy@h sudo grep …',
      'add a messaging channel later: npx claw-setup add-channel',
    ]);
  });

  it('Telegram in pairing mode and WhatsApp: pair each, and prove a first reply', () => {
    const a = answersWith({
      openclaw: {
        channels: [
          { type: 'telegram', dmPolicy: 'pairing', botToken: { env: 'TELEGRAM_BOT_TOKEN' } },
          { type: 'whatsapp', allowFrom: ['+15555550123'] },
        ],
      },
    } as never);
    const l = laterSteps(a, false, undefined);
    expect(l).toContain('WhatsApp: link the account with a QR code here: npx claw-setup pair whatsapp');
    expect(l).toContainEqual(expect.stringMatching(/^telegram: approve who may talk to the bot .*npx claw-setup pair telegram$/));
    expect(l).toContainEqual(expect.stringMatching(/^see the bot answer: npx claw-setup first-reply/));
    expect(l.join('\n')).not.toMatch(/channels login/);
  });
});
