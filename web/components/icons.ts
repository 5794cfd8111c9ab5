/**
 * Small inline SVG icons (no icon font, no emoji: they render the same on every machine, and the
 * page loads nothing from the network).
 */
import { svg, type SVGTemplateResult } from 'lit';

const wrap = (body: SVGTemplateResult, size = 14) =>
  svg`<svg class="icon" width=${size} height=${size} viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${body}</svg>`;

export const icons = {
  logo: (size = 16) => wrap(svg`<circle cx="3" cy="8" r="2" fill="currentColor" stroke="none"></circle><path d="M6 8h8M11 5l3 3-3 3"></path>`, size),
  play: () => wrap(svg`<path d="M4 2.5v11l9-5.5z" fill="currentColor" stroke="none"></path>`),
  stop: () => wrap(svg`<rect x="3.5" y="3.5" width="9" height="9" fill="currentColor" stroke="none"></rect>`),
  pause: () => wrap(svg`<path d="M5 3v10M11 3v10"></path>`),
  first: () => wrap(svg`<path d="M3.5 3v10M13 3.5 6.5 8l6.5 4.5z" fill="currentColor"></path>`),
  prev: () => wrap(svg`<path d="M11.5 3 5 8l6.5 5z" fill="currentColor"></path>`),
  next: () => wrap(svg`<path d="M4.5 3 11 8l-6.5 5z" fill="currentColor"></path>`),
  last: () => wrap(svg`<path d="M12.5 3v10M3 3.5 9.5 8 3 12.5z" fill="currentColor"></path>`),
  link: () => wrap(svg`<path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.8 2.8 0 0 1 4 4L11 8.5M9 11.5l-1.2 1.2a2.8 2.8 0 0 1-4-4L5 7.5"></path>`),
  moon: () => wrap(svg`<path d="M13 9.5A5.5 5.5 0 1 1 6.5 3a4.5 4.5 0 0 0 6.5 6.5z"></path>`),
  sun: () => wrap(svg`<circle cx="8" cy="8" r="3"></circle><path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1"></path>`),
};
