/** deb822 control data (dpkg status, apt Packages and Release files): a fast stanza reader for a few fields. */

/** One stanza's wanted single-line fields. */
export type ControlStanza = Record<string, string>;

/**
 * Reads the stanzas of `text`, keeping only `fields` (first line of each value; continuation lines skipped).
 * Walks line by line without splitting the whole text, since an apt Packages file is tens of megabytes.
 */
export function parseControlStanzas(text: string, fields: readonly string[]): ControlStanza[] {
  const wanted = new Set(fields);
  const stanzas: ControlStanza[] = [];
  let current: ControlStanza | undefined;
  let position = 0;
  const length = text.length;
  while (position < length) {
    let end = text.indexOf('\n', position);
    if (end === -1) end = length;
    const first = text.charCodeAt(position);
    if (end === position || (end === position + 1 && first === 13)) {
      // A blank line ends the stanza.
      if (current !== undefined) stanzas.push(current);
      current = undefined;
    } else if (first !== 32 && first !== 9 && first !== 35) {
      const colon = text.indexOf(':', position);
      if (colon !== -1 && colon < end) {
        const name = text.slice(position, colon);
        if (wanted.has(name)) {
          current ??= {};
          let valueEnd = end;
          if (text.charCodeAt(valueEnd - 1) === 13) valueEnd -= 1;
          current[name] = text.slice(colon + 1, valueEnd).trim();
        } else current ??= {};
      }
    }
    position = end + 1;
  }
  if (current !== undefined) stanzas.push(current);
  return stanzas;
}
