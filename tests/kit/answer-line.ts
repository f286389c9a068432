/**
 * The phrase an extractive answer line shows in bold before its sentence ("**rund 100 Drohnen im
 * Monat** — …"), with Discord Markdown escapes removed; null when the line opens with no bold phrase.
 */
export function boldPhrase(answer: string): string | null {
  const m = /^\*\*(.+?)\*\* — /.exec(answer);
  return m ? m[1].replace(/\\(.)/g, '$1') : null;
}
