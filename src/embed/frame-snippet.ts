/**
 * The page's side of the iframe form: the snippet a docs author copies beside the
 * `<iframe>`. It sizes each Layerlab frame to the height the frame posts, and only for
 * messages from the Layerlab origin it names (any other page could post the same shape).
 */
export function frameSnippet(origin: string, src: string, title: string): string {
  return `<iframe src="${escapeAttr(src)}" title="${escapeAttr(title)}" width="100%" height="400" style="border:0" loading="lazy"></iframe>
<script>
  addEventListener('message', (e) => {
    if (e.origin !== ${JSON.stringify(origin)} || e.data?.source !== 'layerlab') return;
    for (const f of document.querySelectorAll('iframe'))
      if (f.contentWindow === e.source && e.data.type === 'layerlab:resize') f.height = String(e.data.height);
  });
</script>`;
}

function escapeAttr(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}

/** The snippet's listener, for a page of Layerlab's own that holds a frame (the docs page's example). */
export function sizeFramesFrom(origin: string): void {
  addEventListener('message', (e) => {
    const data = e.data as { source?: unknown; type?: unknown; height?: unknown } | null;
    if (e.origin !== origin || data?.source !== 'layerlab') return;
    for (const f of document.querySelectorAll('iframe'))
      if (f.contentWindow === e.source && data.type === 'layerlab:resize') f.height = String(data.height);
  });
}
