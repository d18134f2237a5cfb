/** `$(( … ))`: integer arithmetic as ash evaluates it (C operators, variables by name). */
export function evalArith(expr: string, getVar: (name: string) => string | undefined, setVar: (name: string, v: string) => void): number {
  const toks = expr.match(/\s*([0-9]+|[A-Za-z_][A-Za-z0-9_]*|<<=|>>=|\*\*|&&|\|\||==|!=|<=|>=|<<|>>|[-+*/%]=|[-+*/%()<>!~^&|?:=,])/g) ?? [];
  const t = toks.map((s) => s.trim());
  let i = 0;
  const num = (name: string) => {
    const v = getVar(name);
    return v === undefined || v === '' ? 0 : Number.parseInt(v, 10) || 0;
  };
  const peek = () => t[i];
  const eat = (s: string) => (t[i] === s ? (i++, true) : false);

  const primary = (): number => {
    const tok = t[i++];
    if (tok === undefined) throw new Error('arithmetic syntax error');
    if (tok === '(') {
      const v = assign();
      if (!eat(')')) throw new Error('arithmetic syntax error');
      return v;
    }
    if (tok === '-') return -primary();
    if (tok === '+') return primary();
    if (tok === '!') return primary() ? 0 : 1;
    if (tok === '~') return ~primary();
    if (/^[0-9]/.test(tok)) return Number.parseInt(tok, tok.startsWith('0x') ? 16 : 10);
    if (/^[A-Za-z_]/.test(tok)) return num(tok);
    throw new Error('arithmetic syntax error');
  };
  const bin = (next: () => number, ops: Record<string, (a: number, b: number) => number>) => (): number => {
    let v = next();
    while (peek() !== undefined && ops[peek()!]) {
      const op = ops[t[i++]!]!;
      v = op(v, next());
    }
    return v;
  };
  const div = (a: number, b: number) => {
    if (b === 0) throw new Error('divide by zero');
    return Math.trunc(a / b);
  };
  const mul = bin(primary, { '*': (a, b) => a * b, '/': div, '%': (a, b) => (b === 0 ? div(a, b) : a % b) });
  const add = bin(mul, { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const shift = bin(add, { '<<': (a, b) => a << b, '>>': (a, b) => a >> b });
  const rel = bin(shift, { '<': (a, b) => +(a < b), '>': (a, b) => +(a > b), '<=': (a, b) => +(a <= b), '>=': (a, b) => +(a >= b) });
  const eq = bin(rel, { '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) });
  const band = bin(eq, { '&': (a, b) => a & b });
  const bxor = bin(band, { '^': (a, b) => a ^ b });
  const bor = bin(bxor, { '|': (a, b) => a | b });
  const land = bin(bor, { '&&': (a, b) => +(a !== 0 && b !== 0) });
  const lor = bin(land, { '||': (a, b) => +(a !== 0 || b !== 0) });
  const cond = (): number => {
    const c = lor();
    if (!eat('?')) return c;
    const a = assign();
    if (!eat(':')) throw new Error('arithmetic syntax error');
    const b = assign();
    return c ? a : b;
  };
  const assign = (): number => {
    const name = t[i];
    const op = t[i + 1];
    if (name && /^[A-Za-z_]/.test(name) && op && /^([-+*/%]|<<|>>)?=$/.test(op) && op !== '==') {
      i += 2;
      const rhs = assign();
      const cur = num(name);
      const v =
        op === '='
          ? rhs
          : op === '+='
            ? cur + rhs
            : op === '-='
              ? cur - rhs
              : op === '*='
                ? cur * rhs
                : op === '/='
                  ? div(cur, rhs)
                  : op === '%='
                    ? cur % rhs
                    : op === '<<='
                      ? cur << rhs
                      : cur >> rhs;
      setVar(name, String(v));
      return v;
    }
    return cond();
  };
  if (t.length === 0) return 0;
  const v = assign();
  while (eat(',')) assign();
  if (i < t.length) throw new Error('arithmetic syntax error');
  return v;
}
