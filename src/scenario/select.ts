/**
 * Selection over `mode/scenario/check` ids. Each pattern is a regular
 * expression searched in the id; a leading `!` negates it. A check is selected
 * when it matches any --only pattern (or there are none) and no --skip pattern.
 */
export interface Selection {
  only?: string[];
  skip?: string[];
}

interface Matcher {
  negate: boolean;
  re: RegExp;
  source: string;
}

export function compileSelection(sel: Selection): (id: string) => boolean {
  const compile = (p: string): Matcher => {
    const negate = p.startsWith("!");
    const source = negate ? p.slice(1) : p;
    try {
      return { negate, re: new RegExp(source), source: p };
    } catch (err) {
      throw new Error(`invalid pattern "${p}": ${(err as Error).message}`);
    }
  };
  const hit = (m: Matcher, id: string) => m.re.test(id) !== m.negate;
  const only = (sel.only ?? []).map(compile);
  const skip = (sel.skip ?? []).map(compile);
  return (id) => (only.length === 0 || only.some((m) => hit(m, id))) && !skip.some((m) => hit(m, id));
}
