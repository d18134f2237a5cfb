/**
 * The title of each step: the first heading inside its `<Step id="…">` in the MDX body
 * (content/README.md). The lesson page lists steps by these titles.
 */
export function stepTitles(body: string): Map<string, string> {
  const titles = new Map<string, string>();
  const step = /<Step\s+id="([^"]+)"\s*>([\s\S]*?)<\/Step>/g;
  for (const match of body.matchAll(step)) {
    const heading = /^#{2,6}\s+(.+?)\s*$/m.exec(match[2]!);
    titles.set(match[1]!, heading ? heading[1]!.replace(/`/g, '') : match[1]!);
  }
  return titles;
}
