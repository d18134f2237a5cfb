import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const axeSource = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

type Impact = 'minor' | 'moderate' | 'serious' | 'critical';
const IMPACTS: Impact[] = ['minor', 'moderate', 'serious', 'critical'];

const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's WCAG 2.1 A/AA violations on the page, as `rule: selector` lines; with
 * `atLeast`, only those of that impact or worse; with `bestPractice`, axe's best-practice
 * rules too (landmark-unique, heading-order…), which WCAG does not require.
 */
export async function axeViolations(page: Page, atLeast: Impact = 'minor', { bestPractice = false } = {}): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const tags = bestPractice ? [...WCAG21_AA, 'best-practice'] : WCAG21_AA;
  const violations = await page.evaluate(async (values) => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, tags);
  const floor = IMPACTS.indexOf(atLeast);
  return violations.filter((v) => IMPACTS.indexOf((v.impact ?? 'minor') as Impact) >= floor).flatMap((v) => v.targets.map((t) => `${v.id}: ${t}`));
}
