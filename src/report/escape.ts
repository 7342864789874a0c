/**
 * Escaping for the report formats. Command output can contain anything: markup,
 * ANSI colour codes, NUL and other control characters that XML 1.0 forbids even
 * as character references, so those are made visible instead of dropped.
 */

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// XML 1.0 allows \t \n \r and everything from U+0020 except surrogates and U+FFFE/FFFF.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Removes ANSI escape sequences and shows other control characters as `\xNN`. */
export function cleanText(text: string): string {
  return text.replace(ANSI, "").replace(XML_INVALID, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Escapes text for HTML/XML element content and double-quoted attributes. */
export function escapeMarkup(text: string): string {
  return cleanText(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** For attribute values in XML: newlines and tabs would be normalised to spaces by parsers, so keep them. */
export function escapeXmlAttr(text: string): string {
  return escapeMarkup(text).replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

/** Quotes one argv element the way a POSIX shell would need it, for display only. */
export function shellQuote(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(argv: string[]): string {
  return argv.map(shellQuote).join(" ");
}
