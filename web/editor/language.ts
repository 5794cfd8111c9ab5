/**
 * The `packet-path` language for Monaco: a declarative Monarch highlighter for `.pp` scripts.
 * Its word lists are the parser's (src/script/words.ts); meaning (diagnostics, completions, hovers)
 * comes from the real parser and the vocabulary (src/vocabulary.ts), not from here.
 * Tested with token tables in language.test.ts.
 */
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { HIGHLIGHT } from '../../src/script/words.js';

export const LANGUAGE_ID = 'packet-path';

export const conf: Monaco.languages.LanguageConfiguration = {
  comments: { lineComment: '#' },
  brackets: [['{', '}'], ['[', ']'], ['(', ')']],
  autoClosingPairs: [
    { open: '"', close: '"', notIn: ['string', 'comment'] },
    { open: "'", close: "'", notIn: ['string', 'comment'] },
    { open: '(', close: ')' },
  ],
  surroundingPairs: [{ open: '"', close: '"' }, { open: "'", close: "'" }],
  // Words keep dots and dashes so `com.docker.network.windowsshim.vlanid` and `Get-NetNat` are one word.
  wordPattern: /[^\s"'=,|#`]+/,
};

export const language: Monaco.languages.IMonarchLanguage = {
  tokenPostfix: '.pp',
  ignoreCase: true,
  defaultToken: '',

  verbs: [...HIGHLIGHT.verbs],
  subcommands: [...HIGHLIGHT.subcommands],
  tools: [...HIGHLIGHT.tools],
  drivers: [...HIGHLIGHT.drivers],
  cmdlets: HIGHLIGHT.cmdlets.map((c) => c.toLowerCase()),

  tokenizer: {
    root: [
      [/\s+/, ''],
      [/#.*$/, 'comment'],
      // A backslash or a PowerShell backtick at the end of a line continues the command.
      [/[`\\]\s*$/, 'operator.continuation'],
      [/"(?:[^"\\]|\\.)*"/, 'string'],
      [/"[^"]*$/, 'string.invalid'],
      [/'[^']*'/, 'string'],
      [/'[^']*$/, 'string.invalid'],
      [/com\.docker\.[\w.]+/, 'variable.option'],
      [/https?:\/\/[^\s"'`]+/, 'string.link'],
      [/HKEY_[\w\\]+/, 'string.path'],
      [/--?[A-Za-z][\w-]*/, 'attribute.name'],
      [/\/[A-Za-z]+\b/, 'attribute.name'],
      [/[0-9A-Fa-f]{2}(?:[-:][0-9A-Fa-f]{2}){5}(?![\w-])/, 'number.mac'],
      [/\d{1,3}(?:\.\d{1,3}){3}-\d{1,3}(?:\.\d{1,3}){3}/, 'number.ip'],
      [/\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?(?::\d+)?/, 'number.ip'],
      [/(?:tcp|udp|icmp)\/\d+(?:-\d+)?/, 'number'],
      [/\d+(?::\d+)?(?:\/(?:tcp|udp))?(?![\w.-])/, 'number'],
      [/[A-Za-z_][\w]*(?:-[\w]+)*/, {
        cases: {
          '@verbs': 'keyword',
          '@subcommands': 'keyword.sub',
          '@cmdlets': 'type.identifier',
          '@tools': 'predefined',
          '@drivers': 'type.driver',
          '[A-Za-z]+-[A-Za-z]+': 'type.identifier',
          '@default': 'identifier',
        },
      }],
      [/[|]/, 'operator.pipe'],
      [/[=,:]/, 'operator'],
      [/[^\s]/, ''],
    ],
  },
};

/** Colours of the token classes above, for the light and dark editor themes. */
export function themeRules(dark: boolean): Monaco.editor.ITokenThemeRule[] {
  const c = dark
    ? { kw: 'C586C0', sub: '569CD6', type: '4EC9B0', attr: '9CDCFE', str: 'CE9178', num: 'B5CEA8', cmt: '6A9955', opt: 'DCDCAA', drv: 'D7BA7D', op: 'D4D4D4', tool: '4FC1FF' }
    : { kw: 'AF00DB', sub: '0000FF', type: '267F99', attr: '0451A5', str: 'A31515', num: '098658', cmt: '008000', opt: '795E26', drv: '8B5A00', op: '000000', tool: '0070C1' };
  return [
    { token: 'keyword.pp', foreground: c.kw, fontStyle: 'bold' },
    { token: 'keyword.sub.pp', foreground: c.sub },
    { token: 'type.identifier.pp', foreground: c.type },
    { token: 'type.driver.pp', foreground: c.drv },
    { token: 'predefined.pp', foreground: c.tool },
    { token: 'attribute.name.pp', foreground: c.attr },
    { token: 'string.pp', foreground: c.str },
    { token: 'string.link.pp', foreground: c.str, fontStyle: 'underline' },
    { token: 'string.path.pp', foreground: c.str },
    { token: 'number.pp', foreground: c.num },
    { token: 'number.ip.pp', foreground: c.num },
    { token: 'number.mac.pp', foreground: c.num },
    { token: 'comment.pp', foreground: c.cmt, fontStyle: 'italic' },
    { token: 'variable.option.pp', foreground: c.opt },
    { token: 'operator.pp', foreground: c.op },
    { token: 'operator.pipe.pp', foreground: c.kw },
    { token: 'operator.continuation.pp', foreground: c.kw, fontStyle: 'bold' },
  ];
}
