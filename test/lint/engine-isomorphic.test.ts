import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The lint rule is what keeps src/engine runnable in the browser; check that it bites.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

// The first lint loads the whole config (typescript-eslint): seconds on a busy machine.
describe('lint: src/engine stays isomorphic', { timeout: 60_000 }, () => {
  it.each([
    "import { readFile } from 'node:fs/promises';",
    "import fs from 'fs';",
    "import * as d3 from 'd3';",
    "import * as monaco from 'monaco-editor';",
    "import { getCollection } from 'astro:content';",
    "import { createSimEngine } from '../sim/create-sim-engine.js';",
  ])('rejects %s', async (line) => {
    expect(await ruleIds(`${line}\nexport const x = 1;\n`, 'src/engine/example.ts')).toContain('no-restricted-imports');
  });

  it('rejects DOM and Node globals', async () => {
    expect(await ruleIds('export const w = window.innerWidth;\n', 'src/engine/example.ts')).toContain('no-restricted-globals');
    expect(await ruleIds('export const e = process.env.HOME;\n', 'src/engine/example.ts')).toContain('no-restricted-globals');
  });

  it('allows the same imports outside the engine', async () => {
    expect(await ruleIds("import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n", 'sandbox-server/example.ts')).toEqual([]);
  });
});
