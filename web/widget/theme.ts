/**
 * The playground's colours (web/theme.css, written for `html[data-theme]`) re-scoped to the widget:
 * the light and dark custom properties are set on the widget's own frame, so a widget looks the same
 * whatever the page defines — including `--pp-*` variables of its own.
 */
import themeSource from '../theme.css?inline';

/** The declarations of the first rule whose selector matches `selector`. */
function block(source: string, selector: RegExp): string {
  for (const m of source.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    if (selector.test(m[1])) return m[2].trim();
  }
  return '';
}

/**
 * CSS setting the theme variables of `source` (theme.css) on `.frame` (light) and `.frame.dark`.
 * The built CSS is minified (`html[data-theme=dark]`, quotes gone): either form is matched.
 */
export function themeFrom(source: string): string {
  const light = block(source, /data-theme=['"]?light|:root/);
  const dark = block(source, /data-theme=['"]?dark/);
  return `.frame{${light}}\n.frame.dark{${dark}}`;
}

export const themeCss = themeFrom(themeSource);
