import type { PlanStepId } from '../plan/action.js';

/**
 * What the runner reports while it applies a plan. The Ink apply screen and
 * the plain line printer both consume these; every text is already redacted.
 */
export type RolloutEvent =
  | { type: 'step-started'; stepId: PlanStepId; title: string }
  | { type: 'step-finished'; stepId: PlanStepId; status: 'done' | 'skipped' | 'failed' | 'reverted' }
  | { type: 'action-started'; stepId: PlanStepId; title: string; kind: 'run' | 'write' | 'gate' }
  | { type: 'action-finished'; stepId: PlanStepId; title: string; status: 'done' | 'skipped' | 'failed' }
  | { type: 'output'; stepId: PlanStepId; line: string }
  | { type: 'gate'; stepId: PlanStepId; title: string; status: 'running' | 'passed' | 'failed'; detail?: string }
  | { type: 'deadman'; stepId: PlanStepId; groupId: string; state: 'armed' | 'disarmed' | 'reverted'; timeoutSec?: number };

export type RolloutListener = (e: RolloutEvent) => void;

export interface RolloutResult {
  status: 'done' | 'failed' | 'cancelled';
  /** Plain-words report lines for the done / failed screen. */
  report: string[];
}
