/**
 * Which `source` values a document may carry. A source is shown to users and may become a link,
 * so only two shapes are kept: an http(s) URL, or a plain file-like name or path ("bericht.pdf",
 * "corpus/000.txt", "/srv/docs/a b.txt", "discord:123"). Anything else — other URL schemes such as
 * `javascript:` or `data:`, Markdown or mention syntax, control characters — is dropped.
 */

/** Longest source kept, in UTF-16 units (longer values are dropped, not cut: a cut URL misleads). */
export const MAX_SOURCE_CHARS = 2000;

/** Characters of a file-like name: letters, marks, digits, space and common file-name punctuation. */
/**
 * An absolute path may start with one separator ("/srv/x.txt", "\\docs\\x.pdf" after a drive
 * letter) or a UNC share's two backslashes; never "//", which reads as a scheme-relative URL.
 */
const FILE_LIKE = /^(?:\\\\|[/\\])?[\p{L}\p{M}\p{N} ._~+,=@()'&%#!$-]+(?:[/\\][\p{L}\p{M}\p{N} ._~+,=@()'&%#!$-]+)*[/\\]?$/u;
/** A leading URL scheme (RFC 3986 §3.1). */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * @param s a source given by a caller or found in a document's metadata
 * @returns the trimmed source when it is an http(s) URL (parsed by WHATWG URL, no whitespace) or a
 *   file-like name/path (optionally `discord:` or a Windows drive letter in front); otherwise
 *   `undefined`. Linear in the input.
 */
export function safeSource(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  if (t === '' || t.length > MAX_SOURCE_CHARS) return undefined;
  const scheme = SCHEME.exec(t)?.[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    if (/[\s<>"`\\]/.test(t)) return undefined;
    try {
      const u = new URL(t);
      return u.protocol === 'http:' || u.protocol === 'https:' ? t : undefined;
    } catch {
      return undefined;
    }
  }
  let rest = t;
  if (scheme === 'discord') rest = t.slice('discord:'.length);
  else if (scheme && /^[a-z]$/i.test(scheme) && /^[a-z]:[/\\]/i.test(t)) rest = t.slice(2); // C:\docs\x.pdf
  else if (scheme) return undefined;
  return rest !== '' && FILE_LIKE.test(rest) ? t : undefined;
}
