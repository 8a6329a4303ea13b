/**
 * The one reader of the `@@claw:NAME@@` sections that the server-side scripts print (the
 * read-only probe in src/facts/probe.ts, the status script in templates/status-script.ts).
 * It lives in plan/ so that both the planner side and the facts side can use it. A section runs
 * from its marker line to the next marker. A marker is a whole line, taken wherever it appears, so
 * a script must never print a file someone else can write as lines: the status script prints
 * openclaw.json (the container's) as one base64 line.
 */

const MARKER = /^@@claw:([a-z0-9]+)@@$/;

/**
 * The sections, each with its raw lines (blank lines and surrounding spaces kept). Lines before the first marker belong to no section. A
 * name printed twice keeps its last section.
 */
export function splitSections(out: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let cur: string[] | null = null;
  for (const line of out.split('\n')) {
    const m = MARKER.exec(line);
    if (m) sections.set(m[1], (cur = []));
    else cur?.push(line);
  }
  return sections;
}

/** A section's lines without the blank ones (a missing section has none). */
export function sectionLines(sections: Map<string, string[]>, name: string): string[] {
  return (sections.get(name) ?? []).filter((l) => l.trim() !== '');
}
