import type { PlanContext } from '../src/plan/context.js';
import { gate, type Step } from '../src/plan/action.js';

/** Proves the new way in before anything is tightened: a fresh key login as the deploy user, then sudo. */
export function planLoginGate(ctx: PlanContext): Step {
  const name = ctx.answers.deployUser.name;
  return {
    id: 'login-gate',
    title: 'Fresh-login gate',
    summary: [`logs in as ${name} from a brand-new connection with only your key, then checks sudo`],
    actions: [
      gate(`log in as ${name} from a fresh connection and run sudo`, {
        type: 'fresh-login',
        user: name,
        port: ctx.loginPort,
        via: 'public',
        sudo: true,
      }),
    ],
  };
}
