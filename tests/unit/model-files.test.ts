/** The model reads a command's file through the caller's FileSource: a map, or a resolver's answer. */
import { describe, expect, it } from 'vitest';
import { run } from './model-helpers.js';
import type { FileAnswer } from '../../src/model/index.js';
import { createWorld, execute } from '../../src/model/index.js';
import { parseScript } from '../../src/script/parser.js';

const COMPOSE = 'services:\n  web:\n    image: img\n';

function withResolver(text: string, answer: (path: string) => FileAnswer) {
  const world = createWorld();
  const asked: string[] = [];
  const outcomes = parseScript(text).commands.map((c) => execute(world, c, (p) => (asked.push(p), answer(p))));
  return { outcomes, asked };
}

describe('files a command names', () => {
  it('a map answers by the path as written, with or without ./', () => {
    expect(run('docker compose -f ./app.yml up -d', { files: { 'app.yml': COMPOSE } }).last.ok).toBe(true);
    expect(run('docker compose -f app.yml up -d', { files: { 'app.yml': COMPOSE } }).last.ok).toBe(true);
  });

  it('the resolver is asked only for files of parsed compose commands', () => {
    const r = withResolver('# docker compose -f a.yml up\ndocker rm -f b.yml\ndocker compose -f c.yml up -d\n', () => ({ text: COMPOSE }));
    expect(r.asked).toEqual(['c.yml']);
    expect(r.outcomes[1]!.ok).toBe(true);
  });

  it('a missing file is compose\'s error; a refusal is printed as given, at the command', () => {
    expect(withResolver('docker compose -f x.yml up -d', () => ({ missing: true })).outcomes[0]!.error).toBe('open x.yml: The system cannot find the file specified.');
    expect(withResolver('docker compose -f x.yml up -d', () => ({ refused: 'packet-path: x.yml is not a regular file' })).outcomes[0]!.error).toBe('packet-path: x.yml is not a regular file');
  });
});
