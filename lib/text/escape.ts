/**
 * Escaping for every string that leaves the program and may hold data from outside (scenario,
 * log and trace names, error messages quoting input). Each output language gets its own
 * function; nothing is printed raw.
 */

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute content in HTML/SVG. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML[c]);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the JS line separators
 * become \u escapes so no string can close the script element or open a comment.
 */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Markdown inline text (also safe inside a table cell): HTML-significant characters become
 * entities (renderers pass raw HTML through), inline Markdown punctuation (emphasis, code,
 * links, strikethrough, table pipes) is backslash-escaped, and control characters (line breaks)
 * are shown as \xNN so a cell stays on its row. Block syntax (`#`, `-` at line start) cannot
 * arise: escaped strings are only ever placed after a prefix of ours.
 */
export function escapeMarkdown(s: string): string {
  return printable(s)
    .replace(/[&<>"]/g, (c) => HTML[c])
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

/**
 * One line of terminal or plain text (reports, error messages, ftrace names): C0 and C1 control
 * characters (ESC, BEL, CR, LF, tab...), DEL and the Unicode line and paragraph separators are
 * shown as \xNN or \uNNNN, never sent, so data cannot move the cursor, recolour the terminal or
 * split a line. A backslash that would start such an escape is doubled, so the text reads back
 * unambiguously.
 */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\\(?=x[0-9a-f]{2}|u[0-9a-f]{4})|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\\') return '\\\\';
    const n = c.charCodeAt(0);
    return n > 0xff ? `\\u${n.toString(16).padStart(4, '0')}` : `\\x${n.toString(16).padStart(2, '0')}`;
  });
}
