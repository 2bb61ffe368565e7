/**
 * The offset of the first syntax error in a text JSON.parse refused (text.length when the text ends
 * too soon). JSON.parse says where only by quoting the text around the error, and a fixture's error
 * message must never repeat its content, so the position is found by this scanner of RFC 8259's grammar.
 */
export function syntaxErrorAt(text: string): number {
  const at = scan(text);
  return at < 0 ? text.length : at;
}

/** How deep any JSON body, fixture or snapshot may nest arrays and objects (the deepest schema needs 5). */
export const MAX_NESTING = 64;

/** Whether a JSON text nests arrays and objects deeper than `limit` (counted without parsing, strings skipped). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * A JSON text's value, or what is wrong with it in words that never quote it (V8's messages quote the text
 * around the error, and differ between Node versions): where its first syntax error is, or that it nests
 * deeper than MAX_NESTING (which JSON.parse would take, and a body echoing the value back could not write).
 */
export function parseJson(text: string): { readonly value: unknown } | { readonly problem: string } {
  if (nestsDeeperThan(text, MAX_NESTING)) return { problem: `JSON nested at most ${MAX_NESTING} arrays and objects deep` };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    const at = syntaxErrorAt(text);
    if (at >= text.length) return { problem: 'valid JSON: the text ends before the JSON value does' };
    const before = text.slice(0, at).split('\n');
    return { problem: `valid JSON: a syntax error at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}` };
  }
}

/** The offset of the first syntax error, text.length when the text ends too soon, or -1 for valid JSON. */
export function scan(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const c of word) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail();
            }
          }
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === '-') fail();
    i += match![0].length;
  };
  // Iterative, so that deep nesting cannot overflow the stack: `stack` holds the open containers.
  const stack: string[] = [];
  const value = () => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      space();
      if (text[i] === (c === '{' ? '}' : ']')) {
        stack.pop();
        i++;
        return false;
      }
      if (c === '{') key();
      return true;
    }
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail();
    return false;
  };
  const key = () => {
    space();
    if (text[i] !== '"') fail();
    string();
    space();
    if (text[i] !== ':') fail();
    i++;
  };
  try {
    let opened = value();
    for (;;) {
      if (!opened) {
        space();
        const top = stack.at(-1);
        if (top === undefined) break;
        const c = text[i];
        if (c === ',') {
          i++;
          if (top === '{') key();
        } else if (c === (top === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          continue;
        } else fail();
      }
      opened = value();
    }
    space();
    return i < text.length ? i : -1;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}
