/**
 * Docker's template language (src/model/go-template.ts) against its sources: Go's own execution
 * tests (src/text/template/exec_test.go, the cases that need no Go-only types), docker/cli
 * v20.10.24 templates/templates_test.go (Docker's functions) and its formatter tests (error texts),
 * and error lines pasted from real `docker inspect -f` runs.
 */
import { describe, expect, it } from 'vitest';
import { GoNil, GoStruct, GoTemplateError, parseGoTemplate, type GoValue } from '../../src/model/go-template.js';

const run = (src: string, dot: GoValue = null): string => parseGoTemplate(src).execute(dot);
const failure = (src: string, dot: GoValue = null): string => {
  try {
    run(src, dot);
  } catch (e) {
    if (e instanceof GoTemplateError) return e.message;
    throw e;
  }
  throw new Error(`no error for ${src}`);
};

const data: GoValue = {
  I: 17, SI: [3, 4, 5], SIEmpty: [], SB: [true, false], MSI: { one: 1, two: 2, three: 3 }, MSIone: { one: 1 },
  MSIEmpty: {}, U: { V: 'v' }, PS: 'a string',
};

describe('Go text/template semantics (exec_test.go, go1.19)', () => {
  const cases: [string, string, string][] = [
    ['if else if', '{{if false}}FALSE{{else if true}}TRUE{{end}}', 'TRUE'],
    ['if else chain', '{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}', '3'],
    ['if emptyslice', '{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY'],
    ['if map', '{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY'],
    ['if $x with $x int', '{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}', '17,true'],
    ['print 123', '{{print 1 2 3}}', '1 2 3'],
    ['print nil', '{{print nil}}', '<nil>'],
    ['println', '{{println 1 2 3}}', '1 2 3\n'],
    ['printf int', '{{printf "%04x" 127}}', '007f'],
    ['printf string', '{{printf "%s" "hello"}}', 'hello'],
    ['printf field', '{{printf "%s" .U.V}}', 'v'],
    ['printf var', '{{with $x := .I}}{{printf "%d" $x}}{{end}}', '17'],
    ['html', '{{html "<script>alert(\\"XSS\\");</script>"}}', '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;'],
    ['urlquery', '{{"http://www.example.org/"|urlquery}}', 'http%3A%2F%2Fwww.example.org%2F'],
    ['not', '{{not true}} {{not false}}', 'false true'],
    ['and', '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}', 'false 0 0 1'],
    ['or', '{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}', '0 1 true 1'],
    ['boolean if not', '{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}', 'FALSE'],
    ['slice[1]', '{{index .SI 1}}', '4'],
    ['map[two]', '{{index .MSI `two`}}', '2'],
    ['len slice', '{{len .SI}}', '3'],
    ['len map', '{{len .MSI }}', '3'],
    ['with slice', '{{with .SI}}{{.}}{{else}}EMPTY{{end}}', '[3 4 5]'],
    ['with map', '{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}', 'map[one:1]'],
    ['with variable and action', '{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}', 'v'],
    ['range []int else', '{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}', '-3--4--5-'],
    ['range empty else', '{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY'],
    ['range []bool', '{{range .SB}}-{{.}}-{{end}}', '-true--false-'],
    ['range map (sorted keys)', '{{range .MSI}}-{{.}}-{{end}}', '-1--3--2-'],
    ['range $x $y SI', '{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}', '<0=3><1=4><2=5>'],
    ['range $x $y MSIone', '{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}', '<one=1>'],
    ['or as if false', '{{or .SIEmpty "slice is empty"}}', 'slice is empty'],
    ['bug0: $ inside range', '{{range .MSIone}}{{if $.I}}X{{end}}{{end}}', 'X'],
    ['parens with field chain', '{{(index .SI 0)}}-{{(.U).V}}', '3-v'],
    ['trim markers', '{{23 -}} < {{- 45}}', '23<45'],
    ['comment', 'a{{/* comment */}}b', 'ab'],
    ['break', '{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}', '3'],
    ['continue', '{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}', '35'],
    ['assign', '{{$x := 1}}{{range .SI}}{{$x = .}}{{end}}{{$x}}', '5'],
    ['eq with several', '{{eq .I 1 17}}', 'true'],
  ];
  for (const [name, src, want] of cases) it(name, () => expect(run(src, data)).toBe(want));

  it('fails where Go fails (exec_test.go: "len of int", "slice[HUGE]", "bug7a", "bug14a")', () => {
    expect(failure('{{len 3}}')).toBe('template: :1:2: executing "" at <len>: error calling len: len of type int');
    expect(failure('{{index .SI 10}}', data)).toBe('template: :1:2: executing "" at <index>: error calling index: index out of range: 10');
    expect(failure('{{3 2}}')).toBe('template: :1:2: executing "" at <3>: can\'t give argument to non-function 3');
    expect(failure('{{(nil).True}}')).toContain('nil');
  });
});

describe("Docker's functions (docker/cli v20.10.24 templates/templates_test.go)", () => {
  it('json, split and join', () => {
    expect(run('{{json .Ports}}', { Ports: '0.0.0.0:2->8/udp' })).toBe('"0.0.0.0:2->8/udp"');
    expect(run('{{join (split . ":") "/"}}', 'text:with:colon')).toBe('text/with/colon');
    expect(run('this is a {{ . }}', 'string')).toBe('this is a string');
  });
  it('truncate and pad, and nothing for an empty source', () => {
    const source = 'tupx5xzf6hvsrhnruz5cr8gwp';
    expect(run('{{truncate . 5}}', source)).toBe('tupx5');
    expect(run('{{truncate . 30}}', source)).toBe(source);
    expect(run('{{pad . 3 3}}', source)).toBe(`   ${source}   `);
    expect(run('{{pad . 3 3}}', '')).toBe('');
    expect(() => run('{{truncate . 5}}', null)).toThrow(GoTemplateError);
  });
  it('json keeps <, > and & (SetEscapeHTML(false)); upper, lower, title', () => {
    expect(run('{{json .}}', { a: '<b>&' })).toBe('{"a":"<b>&"}');
    expect(run('{{upper .}} {{lower .}} {{title .}}', 'hello World-wide')).toBe('HELLO WORLD-WIDE hello world-wide Hello World-Wide');
  });
  it('a wrong argument type names the argument (text/template validateType)', () => {
    expect(failure('{{upper .I}}', data)).toBe('template: :1:8: executing "" at <.I>: wrong type for value; expected string; got int');
  });
});

describe('errors as docker prints them', () => {
  it('parse errors (docker/cli formatter tests, v20.10)', () => {
    expect(failure('{{InvalidFunction}}')).toBe('template: :1: function "InvalidFunction" not defined');
    expect(failure('{{nil}}')).toBe('template: :1:2: executing "" at <nil>: nil is not a command');
    expect(failure('{{.Foo')).toBe('template: :1: unclosed action');
    expect(failure('{{if .A}}x')).toBe('template: :1: unexpected EOF');
  });
  it('a missing key points at the second field of the chain (pasted outputs of docker inspect -f)', () => {
    // "template parsing error: template: :1:9: executing "" at <.Config.Hostname>: map has no entry for key "Config""
    expect(failure('{{.Config.Hostname}}', { Spec: {} })).toBe('template: :1:9: executing "" at <.Config.Hostname>: map has no entry for key "Config"');
    // "template: :1:8: executing "" at <.State.Health.Status>: map has no entry for key "Health""
    expect(failure('{{.State.Health.Status}}', { State: { Status: 'running' } })).toBe(
      'template: :1:8: executing "" at <.State.Health.Status>: map has no entry for key "Health"',
    );
  });
  it('constructs the engine does not run are refused, never skipped', () => {
    expect(failure('{{define "x"}}a{{end}}')).toMatch(/^template: :1: \{\{define\}\} is not supported/);
  });
});

describe('Go values', () => {
  it('typed nils print as Go prints them', () => {
    const dot = { Links: null, DriverOpts: null, IPAMConfig: null, Other: null };
    const nullKind = (k: string): GoNil['kind'] | undefined => ({ Links: 'slice', DriverOpts: 'map', IPAMConfig: 'ptr' } as const)[k];
    expect(parseGoTemplate('{{.Links}} {{.DriverOpts}} {{.IPAMConfig}} {{.Other}}').execute(dot, { nullKind })).toBe('[] map[] <nil> <no value>');
  });
  it('struct methods are fields, with arguments where they take them', () => {
    const s = new GoStruct('*formatter.ContainerContext', { ID: () => 'abc', Label: (n: GoValue) => (n === 'x' ? 'y' : '') });
    expect(run('{{.ID}} {{.Label "x"}}', s)).toBe('abc y');
    expect(failure('{{.Nope}}', s)).toBe('template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.ContainerContext');
  });
});

describe('parse errors of misplaced keywords', () => {
  it('{{break}} outside {{range}} and a stray {{end}} are parse errors', () => {
    expect(failure('{{break}}')).toBe('template: :1: {{break}} outside {{range}}');
    expect(failure('a{{end}}')).toBe('template: :1: unexpected {{end}}');
  });
});
