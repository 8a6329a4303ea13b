import type { Answers } from '../answers/schema.js';
import type { Secrets } from '../answers/secrets.js';
import type { Facts } from './facts.js';
import type { SecretText } from '../core/secret.js';
import { serverPaths, type ServerPaths } from './paths.js';

/** Everything a step planner may read. Plain data; planners never do I/O. */
export interface PlanContext {
  answers: Answers;
  facts: Facts;
  secrets: Secrets;
  /** The authorized_keys lines for the deploy user, already parsed and checked. */
  keys: string[];
  /** The operator's address for the break-glass rule and fail2ban's ignoreip. */
  operatorIp: string;
  /** The SSH port sshd listens on now: target.port, or ssh.port once an earlier run moved it. */
  loginPort: number;
  paths: ServerPaths;
  /** On a rerun: what the running deployment holds that the answers do not say (kept, not overwritten). */
  deployed?: DeployedContext;
}

/** What a rerun keeps from the server (src/rollout/session.ts reads it). */
export interface DeployedContext {
  /** openclaw.json as it is: keys the answers do not set (hand edits, channels added later) survive. */
  configText: string;
  /** .env lines the answers do not write, `NAME=value` as they were. */
  envKept: SecretText[];
  /** The names in the server's .env in file order: a rerun keeps that order (templates/env-order.ts). */
  envOrder?: string[];
  /** The answers the journal recorded (unparsed): what claw-setup last wrote, to tell drift from a changed answer. */
  lastAnswers?: unknown;
}

/** Placeholder shown in an offline plan when operatorIp is "auto". */
export const AUTO_OPERATOR_IP = '<operator-ip>';

export function planContext(answers: Answers, facts: Facts, secrets: Secrets, keys: string[]): PlanContext {
  const operatorIp = answers.operatorIp !== 'auto' ? answers.operatorIp : (facts.operatorIp ?? AUTO_OPERATOR_IP);
  return { answers, facts, secrets, keys, operatorIp, loginPort: loginPort(answers, facts), paths: serverPaths(answers) };
}

/** Where sshd listens now, from the probe: a rerun after a port move must gate on the new port. */
export function loginPort(a: Answers, facts: Facts): number {
  const live = (facts.sshd.port ?? '').split(/\s+/).filter(Boolean).map(Number);
  return live.length && !live.includes(a.target.port) && live.includes(a.ssh.port) ? a.ssh.port : a.target.port;
}
