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

// The built CSS is minified (`html[data-theme=dark]`, quotes gone): match either form.
const light = block(themeSource, /data-theme=['"]?light|:root/);
const dark = block(themeSource, /data-theme=['"]?dark/);

/** CSS setting the theme variables on `.frame` (light) and `.frame.dark`. */
export const themeCss = `.frame{${light}}\n.frame.dark{${dark}}`;
