/** `…/ko.json?editor`, imported: a catalog's `editor.*` strings only (scripts/lib/build-embed.mjs, editorCatalog). */
declare module '*.json?editor' {
  const labels: Record<string, string>;
  export default labels;
}
