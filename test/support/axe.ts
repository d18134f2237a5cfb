import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const axeSource = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

type Impact = 'minor' | 'moderate' | 'serious' | 'critical';
const IMPACTS: Impact[] = ['minor', 'moderate', 'serious', 'critical'];

/**
 * axe-core's WCAG 2.1 A/AA violations on the page, as `rule: selector` lines; with
 * `atLeast`, only those of that impact or worse.
 */
export async function axeViolations(page: Page, atLeast: Impact = 'minor'): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  const floor = IMPACTS.indexOf(atLeast);
  return violations.filter((v) => IMPACTS.indexOf((v.impact ?? 'minor') as Impact) >= floor).flatMap((v) => v.targets.map((t) => `${v.id}: ${t}`));
}
