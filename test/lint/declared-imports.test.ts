import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** What the site and the server run: their packages must be `dependencies` (npm ci --omit=dev). */
const RUNTIME_DIRS = ['src', 'sandbox-server', 'cli', 'bin'];
const OTHER_DIRS = ['test', 'scripts', 'bench', '.'];
const SOURCE = /\.(ts|mts|js|mjs|astro)$/;

interface Import {
  specifier: string;
  typeOnly: boolean;
}

/** The bare imports of a source file: static, side-effect and dynamic. */
function importsOf(source: string): Import[] {
  const out: Import[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\sfrom\s*['"]([^'"]+)['"]/gm))
    out.push({ specifier: m[3]!, typeOnly: m[2] !== undefined });
  for (const m of source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push({ specifier: m[1]!, typeOnly: false });
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ specifier: m[1]!, typeOnly: false });
  return out.filter((i) => !/^(\.|\/|node:|astro:|virtual:)/.test(i.specifier));
}

/** `@scope/name/sub?query` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('?')[0]!.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The packages a file imports that package.json does not declare where it must. */
function undeclared(source: string, runtime: boolean, declared = pkg): string[] {
  const deps = new Set(Object.keys(declared.dependencies));
  const all = new Set([...deps, ...Object.keys(declared.devDependencies)]);
  return importsOf(source)
    .filter(({ specifier, typeOnly }) => {
      const name = packageOf(specifier);
      // A type-only import is erased: its types may come from @types/<name>, a dev dependency.
      if (typeOnly) return !all.has(name) && !all.has(`@types/${name.replace(/^@(.*)\//, '$1__')}`);
      return !(runtime ? deps : all).has(name);
    })
    .map(({ specifier }) => packageOf(specifier));
}

/** The tools' configs at the root (astro, vitest, eslint). */
const ROOT_FILES = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isFile() && SOURCE.test(e.name))
  .map((e) => e.name);

function* files(dir: string): Generator<string> {
  if (dir === '.') {
    yield* ROOT_FILES;
    return;
  }
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* files(path);
    else if (SOURCE.test(e.name)) yield path;
  }
}

describe('package.json declares what the code imports', () => {
  it('finds a package imported but not declared, and one the runtime takes from devDependencies', () => {
    const declared = { dependencies: { d3: '7.9.2' }, devDependencies: { vitest: '4.1.12', '@types/ws': '8.18.2' } };
    const source =
      "import { select } from 'd3-selection';\nimport 'd3-transition';\nconst m = await import('monaco-editor/editor');\nimport { it } from 'vitest';\nimport type { WebSocket } from 'ws';\nimport { x } from './local.js';\n";
    expect(undeclared(source, true, declared).sort()).toEqual(['d3-selection', 'd3-transition', 'monaco-editor', 'vitest']);
    expect(undeclared(source, false, declared).sort()).toEqual(['d3-selection', 'd3-transition', 'monaco-editor']);
  });

  it.each([...RUNTIME_DIRS.map((d) => [d, true] as const), ...OTHER_DIRS.map((d) => [d, false] as const)])(
    '%s/ imports only declared packages',
    (dir, runtime) => {
      const found: string[] = [];
      for (const path of files(dir)) for (const name of undeclared(readFileSync(join(ROOT, path), 'utf8'), runtime)) found.push(`${path}: ${name}`);
      expect(found).toEqual([]);
    },
  );
});
