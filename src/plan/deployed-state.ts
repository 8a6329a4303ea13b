/**
 * What a running deployment holds, as read in one round trip by src/facts/deployed.ts. A plain
 * data type in plan/ so that the planners (steps/) and the reader (facts/) share it without
 * the reader having to import a planner.
 */
export interface Deployed {
  /** openclaw.json as it is on the server (null: missing). */
  configText: string | null;
  /** The names (never the values) of the variables in .env. */
  envKeys: string[];
  /** The answers the journal recorded (null: no journal or unreadable). */
  journalAnswers: unknown;
  /** The whole journal, to update (null: none). */
  journal: Record<string, unknown> | null;
}
