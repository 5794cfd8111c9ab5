// @vitest-environment happy-dom
/**
 * The widget's pure parts: the read-only highlighter must colour every line exactly as Monaco's
 * Monarch tokenizer does with the same rules (checked on every example script), and an embed
 * snippet must carry any script through HTML and back unchanged.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { language, LANGUAGE_ID, conf } from '../editor/language.js';
import { tokenizeLine, themeClass, tokenCss } from './highlight.js';
import { embedSnippet, escapeInline, readInline } from './embed.js';

let monaco: typeof import('monaco-editor/editor/editor.api');

beforeAll(async () => {
  monaco = await import('monaco-editor/editor/editor.api');
  monaco.languages.register({ id: LANGUAGE_ID });
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, language);
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, conf);
});

/** Monaco's tokens of a line as [start offset, type], adjacent equal types merged. */
function monacoTokens(line: string): [number, string][] {
  const [tokens] = monaco.editor.tokenize(line, LANGUAGE_ID);
  const out: [number, string][] = [];
  for (const t of tokens) if (!out.length || out[out.length - 1][1] !== t.type) out.push([t.offset, t.type]);
  return out;
}

function ourTokens(line: string): [number, string][] {
  const out: [number, string][] = [];
  let at = 0;
  for (const t of tokenizeLine(line)) {
    out.push([at, t.type]);
    at += t.text.length;
  }
  return out;
}

// happy-dom gives import.meta.url an http: scheme: find the examples from the repository root (vitest's cwd).
const examplesDir = join(process.cwd(), 'examples');
const lines = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.pp'))
  .flatMap((f) => readFileSync(join(examplesDir, f), 'utf8').split(/\r?\n/).map((text, k) => ({ where: `${f}:${k + 1}`, text })))
  .filter((l) => l.text.trim());

describe('read-only highlighter', () => {
  it('has example lines to check', () => {
    expect(lines.length).toBeGreaterThan(200);
  });

  it('gives the same tokens as Monaco on every line of every example', () => {
    const diffs: string[] = [];
    for (const { where, text } of lines) {
      // Monaco reports a token for leading whitespace too (type ''); ours merges it the same way.
      const m = monacoTokens(text);
      const o = ourTokens(text);
      if (JSON.stringify(m) !== JSON.stringify(o)) diffs.push(`${where}\n  monaco ${JSON.stringify(m)}\n  ours   ${JSON.stringify(o)}`);
    }
    expect(diffs.slice(0, 5).join('\n')).toBe('');
  });

  it('keeps the text: the tokens of a line concatenate to the line', () => {
    for (const { text } of lines) expect(tokenizeLine(text).map((t) => t.text).join('')).toBe(text);
  });

  it('maps token types to the theme rule classes Monaco would use', () => {
    expect(themeClass('keyword.pp')).toBe('t-keyword-pp');
    expect(themeClass('keyword.sub.pp')).toBe('t-keyword-sub-pp');
    expect(themeClass('identifier.pp')).toBe('');
    expect(themeClass('')).toBe('');
    const css = tokenCss('.light', '.dark');
    expect(css).toMatch(/\.light \.t-keyword-pp\{color:#AF00DB;font-weight:600\}/);
    expect(css).toMatch(/\.dark \.t-keyword-pp\{color:#C586C0;font-weight:600\}/);
    expect(css).toMatch(/\.light \.t-comment-pp\{[^}]*font-style:italic/);
  });
});

describe('embed snippet', () => {
  const tricky = '# a </script> in a comment, and <!-- this -->\r\ndocker run -d --name "web" microsoft/iis\n\n';

  it('escapes what would end an inline script, and reading undoes it', () => {
    const escaped = escapeInline(tricky);
    expect(escaped).not.toMatch(/<\/script/i);
    expect(escaped).not.toMatch(/<!--/);
    expect(readInline(escaped)).toBe('# a </script> in a comment, and <!-- this -->\ndocker run -d --name "web" microsoft/iis\n');
  });

  it('round-trips a script and its compose file through the HTML parser', () => {
    const script = readFileSync(join(examplesDir, '38-compose-default-nat.pp'), 'utf8');
    const compose = readFileSync(join(examplesDir, 'compose/default-nat.yml'), 'utf8');
    const html = embedSnippet(tricky + script, { library: 'https://example.com/pp/packet-path-widget.js', compose: { name: 'compose/default-nat.yml', text: compose } });
    const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, 'text/html');
    const lib = doc.querySelector('script[type="module"]');
    expect(lib?.getAttribute('src')).toBe('https://example.com/pp/packet-path-widget.js');
    const w = doc.querySelector('packet-path-widget');
    expect(w?.hasAttribute('autorun')).toBe(true);
    const [main, file] = Array.from(w!.querySelectorAll('script[type="text/x-packet-path"]'));
    expect(readInline(main.textContent ?? '')).toBe(readInline(tricky + script));
    expect(file.getAttribute('data-file')).toBe('compose/default-nat.yml');
    expect(readInline(file.textContent ?? '')).toBe(readInline(compose));
  });

  it('drops the indentation of a script indented with its page, keeping relative indentation', () => {
    expect(readInline('\n      # title\n      docker network ls\n        `continued\n    ')).toBe('# title\ndocker network ls\n  `continued\n');
  });
});

describe('widget theme', () => {
  const source = readFileSync(join(process.cwd(), 'web/theme.css'), 'utf8');
  // What the production build hands over: minified, attribute quotes dropped.
  const minified = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s*\n\s*/g, '').replace(/\[data-theme='(\w+)'\]/g, '[data-theme=$1]');

  for (const [name, css] of [['as written', source], ['minified', minified]]) {
    it(`carries the playground colours of both themes onto the frame (${name})`, async () => {
      const { themeFrom } = await import('./theme.js');
      const out = themeFrom(css);
      expect(out).toMatch(/^\.frame\{[^}]*--pp-panel:\s*#ffffff/i);
      expect(out).toMatch(/\.frame\.dark\{[^}]*--pp-panel:\s*#1f1f1f/i);
    });
  }
});
