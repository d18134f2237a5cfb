import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadHelpTexts } from '../../src/engine/cli/help-texts.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';

const ROOT = join(import.meta.dirname, '../..');

/** Every file `entry` imports statically (values, not types), transitively: what a bundler puts in its chunk. */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.ts')) return;
    const source = readFileSync(join(ROOT, file), 'utf8');
    for (const m of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"](\.[^'"]+)['"]/gm)) {
      if (m[1]) continue;
      const target = join(dirname(file), m[2]!);
      const ts = target.replace(/\.js$/, '.ts');
      visit(existsSync(join(ROOT, ts)) ? ts : target);
    }
  };
  visit(entry);
  return seen;
}

describe('help texts: data loaded when asked for', () => {
  it('are not in what the engine imports statically, only behind a dynamic import', () => {
    const graph = staticImports('src/sim/create-sim-engine.ts');
    expect(graph.has('src/engine/cli/dispatch.ts')).toBe(true);
    expect(graph.has('src/engine/cli/help-texts.ts')).toBe(true);
    expect(graph.has('src/engine/cli/help-texts.json')).toBe(false);
    expect(readFileSync(join(ROOT, 'src/engine/cli/help-texts.ts'), 'utf8')).toContain("import('./help-texts.json')");
  });

  it('print exactly the recorded text: docker --help, and a command by another of its names', async () => {
    const texts = await loadHelpTexts();
    const engine = await createSimEngine();
    expect(await engine.exec('docker --help')).toMatchObject({ stdout: texts[''], exitCode: 0 });
    // `container ls` has no text of its own: it is ps's (the command table's canonical path).
    expect((await engine.exec('docker container ls --help')).stdout).toBe(texts['ps']);
  });

  it("give a usage error its command's Usage line", async () => {
    const engine = await createSimEngine();
    expect((await engine.exec('docker rm')).stderr).toBe(
      "docker: 'docker rm' requires at least 1 argument\n\nUsage:  docker rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker rm --help' for more information\n",
    );
  });
});
