/**
 * Splits the printed plan into screen rows of at most `width` characters.
 * Long lines are cut into several rows without adding anything, so joining
 * the rows of each line gives back exactly the text printPlan produced.
 */
export interface PlanRow {
  text: string;
  /** True for the first row of a source line (false for the continuation of a long line). */
  start: boolean;
}

export function planRows(text: string, width: number): PlanRow[] {
  const w = Math.max(10, width);
  const rows: PlanRow[] = [];
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  for (const line of lines) {
    if (line.length <= w) {
      rows.push({ text: line, start: true });
      continue;
    }
    for (let i = 0; i < line.length; i += w) rows.push({ text: line.slice(i, i + w), start: i === 0 });
  }
  return rows;
}

/** Back from rows to text (what the review showed is what printPlan printed). */
export function joinRows(rows: PlanRow[]): string {
  return `${rows.map((r, i) => (r.start && i > 0 ? `\n${r.text}` : r.text)).join('')}\n`;
}
