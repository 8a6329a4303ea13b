/**
 * What bin/ prints when a command fails ("error: …", "  how to fix: …"), folded at the terminal's
 * width with a hanging indent: a long line wrapped by the terminal restarts at column 0 and the
 * fix reads as part of the error. Words are never split (a path or a command stays whole to copy);
 * a word longer than the line stands on its own line.
 */

/** A label the continuation lines hang under: "error: ", "  how to fix: ", "claw-setup: error: ". */
const LABEL = /^(\s*(?:[a-z][\w-]*(?: [\w-]+){0,2}: ){1,2})/;

const len = (s: string) => [...s].length;

function wrapLine(line: string, width: number): string[] {
  if (len(line) <= width) return [line];
  const lead = /^\s*/.exec(line)![0];
  const label = LABEL.exec(line)?.[1] ?? `${lead}  `;
  // A hanging indent wider than half the line would leave too little room: fall back to the lead.
  const hang = ' '.repeat(len(label) <= width / 2 ? len(label) : len(lead) + 2);
  const words = line.slice(lead.length).split(/ +/);
  const out: string[] = [];
  let cur = lead;
  let fresh = true;
  for (const w of words) {
    if (!fresh && len(cur) + 1 + len(w) > width) {
      out.push(cur);
      cur = hang + w;
    } else cur = fresh ? cur + w : `${cur} ${w}`;
    fresh = false;
  }
  out.push(cur);
  return out;
}

/** `text` folded at `width` columns; width 0 (not a terminal) leaves it as it is. */
export function wrapReport(text: string, width: number): string {
  if (!width || width < 20) return text;
  return text
    .split('\n')
    .flatMap((l) => wrapLine(l, width))
    .join('\n');
}
