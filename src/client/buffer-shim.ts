/**
 * dockerfile-ast (the builder's parser, and the editor's language service) checks for a
 * UTF-8 BOM with Node's `Buffer.from(char, 'UTF-8')`; browsers have no `Buffer`, so
 * every parse threw there. This gives the browser exactly that call and nothing more;
 * in Node the real Buffer stays.
 */
const scope = globalThis as { Buffer?: unknown };
scope.Buffer ??= { from: (text: string) => new TextEncoder().encode(String(text)) };

export {};
