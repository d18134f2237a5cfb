import embedCss from './embed.css?inline';
import viewsCss from '../views/views.css?inline';
import vtCss from '../client/vt/vt.css?inline';

let sheet: CSSStyleSheet | undefined;

/**
 * The one stylesheet every embed's shadow root adopts: constructed, not a <style> element,
 * so a page with a strict CSP (no `style-src 'unsafe-inline'`) applies it. views.css's
 * colours are set on `:root` for the site; in a shadow root they belong on the widget's
 * `.ll` box. The terminal emulator's rules are here too: a `-t` session's screen is drawn in the shadow root.
 */
export function embedSheet(): CSSStyleSheet {
  if (sheet) return sheet;
  sheet = new CSSStyleSheet();
  sheet.replaceSync(`${viewsCss.replaceAll(':root', '.ll')}\n${vtCss}\n${embedCss}`);
  return sheet;
}
