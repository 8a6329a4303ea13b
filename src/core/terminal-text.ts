/**
 * Text from a server on its way to the operator's terminal (a file's diff,
 * channel names in openclaw.json, `docker logs` lines, audit details) may have
 * been written by the container, i.e. by whoever took over the agent. Raw, its
 * escape sequences would act on the terminal: OSC 52 writes the clipboard (the
 * next paste runs the attacker's command), CSI moves the cursor over lines the
 * operator is reading, OSC 8 hides a link, a bare CR overwrites a line. So
 * every C0 control but newline and tab, DEL, every C1 control and the bidi
 * overrides become visible `\u00XX` text. The same escape is valid inside a
 * JSON string (it decodes to the same character), so `--json` output stays
 * JSON. ESC itself is escaped, which breaks every sequence it starts.
 *
 * Never for text that becomes a file or a secret (exports, plans written with
 * --out): there a changed byte would silently change a value.
 */

// C0 (but \t and \n), DEL, C1, and the Unicode bidi embeddings/overrides/isolates.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `s` with every character that could act on a terminal shown as `\u00XX`; CRLF line ends become LF first. */
export function terminalSafe(s: string): string {
  return s.replace(/\r\n/g, '\n').replace(UNSAFE, hex4);
}

/** Whether `s` would print as it is. */
export function isTerminalSafe(s: string): boolean {
  return !new RegExp(UNSAFE.source).test(s.replace(/\r\n/g, '\n'));
}
