/**
 * Escaping for every string that comes from a scenario (names of scenarios, devices, kinds,
 * areas, lock modes). Each output language gets its own function; formats never print raw.
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

/** Terminal text: control characters (escape sequences, newlines) shown as \xNN, never executed. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
