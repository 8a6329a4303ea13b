/**
 * The answers file as text: where each key sits (so an error names its line), and a JSON5 syntax
 * error as line, column, caret and a likely fix. Pure: the caller hands in the text.
 */

const key = (path: readonly string[]) => path.join('.');

/**
 * The line (1-based) of every key and array element in a JSON5 text, by dotted
 * path ("ssh.port", "openclaw.channels.0.type"). A small scanner: comments,
 * both quote styles, unquoted keys; it never throws (a text JSON5 refused never
 * gets here).
 */
export function json5KeyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  type Frame = { kind: 'obj'; path: string[]; key: string | null } | { kind: 'arr'; path: string[]; index: number; seen: boolean };
  const stack: Frame[] = [];
  let line = 1;
  let i = 0;
  const top = () => stack[stack.length - 1];
  /** A value starts here: in an array, it is the next element. */
  const valueStart = () => {
    const f = top();
    if (f?.kind === 'arr' && !f.seen) {
      f.seen = true;
      out.set(key([...f.path, String(f.index)]), line);
    }
  };
  const childPath = (): string[] => {
    const f = top();
    if (!f) return [];
    return f.kind === 'obj' ? [...f.path, f.key ?? ''] : [...f.path, String(f.index)];
  };
  const readString = (q: string): string => {
    let s = '';
    i++;
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\') {
        if (text[i + 1] === '\n') line++;
        s += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (text[i] === '\n') line++;
      s += text[i++];
    }
    i++;
    return s;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') line++;
        i++;
      }
      i += 2;
    } else if (c === '{' || c === '[') {
      valueStart();
      const path = childPath();
      stack.push(c === '{' ? { kind: 'obj', path, key: null } : { kind: 'arr', path, index: 0, seen: false });
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      const f = top();
      if (f?.kind === 'arr') {
        f.index++;
        f.seen = false;
      } else if (f) f.key = null;
      i++;
    } else if (c === ':') {
      i++;
    } else if (c === '"' || c === "'") {
      const f = top();
      const at = line;
      const s = readString(c);
      if (f?.kind === 'obj' && f.key === null) {
        f.key = s;
        out.set(key([...f.path, s]), at);
      } else if (f?.kind === 'arr' && !f.seen) {
        f.seen = true;
        out.set(key([...f.path, String(f.index)]), at);
      }
    } else if (/\s/.test(c)) {
      i++;
    } else {
      // An unquoted key, a number, true/false/null, Infinity, NaN.
      const m = /^[^\s,:{}[\]/"']+/.exec(text.slice(i, i + 400));
      const word = m ? m[0] : c;
      const f = top();
      if (f?.kind === 'obj' && f.key === null) {
        f.key = word;
        out.set(key([...f.path, word]), line);
      } else valueStart();
      i += word.length;
    }
  }
  return out;
}

/**
 * A JSON5 parse error as line, column, the line itself with a caret, and a
 * how-to-fix for the usual slips (a missing comma or quote, an unclosed brace).
 */
export function json5SyntaxProblem(
  path: string,
  text: string,
  err: { message: string; lineNumber?: number; columnNumber?: number },
): { message: string; howToFix: string } {
  const what = err.message
    .replace(/^JSON5: /, '')
    .replace(/ at \d+:\d+$/, '')
    .replace(/[^\x20-\x7e]/g, '?');
  const line = err.lineNumber ?? 0;
  const col = err.columnNumber ?? 0;
  const src = text.split('\n')[line - 1];
  let excerpt = '';
  if (src !== undefined) {
    const start = Math.max(0, col - 60);
    const shown = src.slice(start, start + 100).replace(/[^\x20-\x7e]/g, ' ');
    excerpt = `\n  ${String(line).padStart(4)} | ${shown}\n       | ${' '.repeat(Math.max(0, col - 1 - start))}^`;
  }
  let howToFix = 'every field is name: value, fields are separated by commas, text goes in quotes, and every { or [ is closed';
  if (/end of input/.test(what)) howToFix = 'the file ends too early: a closing } or ] (or a quote) is missing; count the braces from the top';
  else if (/invalid character/.test(what)) {
    // The last line with content before this one, its end-of-line comment dropped.
    const before = text.split('\n').slice(0, Math.max(0, line - 1));
    let n = before.length;
    while (n > 0 && before[n - 1].replace(/\/\/[^"']*$/, '').trim() === '') n--;
    const prev = n > 0 ? before[n - 1].replace(/\/\/[^"']*$/, '').trimEnd() : '';
    if (col <= (src ?? '').search(/\S/) + 1 && prev && !/[,{[]$/.test(prev))
      howToFix = `a comma is probably missing at the end of line ${n}, before this field`;
    else howToFix = 'a comma, colon or quote is probably missing just before the caret; text values go in quotes ("like this")';
  }
  return {
    message: `answers file ${path} is not valid JSON5: ${what} at line ${line}, column ${col}${excerpt}`,
    howToFix,
  };
}
