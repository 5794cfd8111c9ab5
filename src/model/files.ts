/**
 * Files a command names (`docker compose -f FILE`): the model asks for one by the path the parsed
 * command gives, and the caller answers — from a map of files it was handed (the playground, the
 * tests) or through a resolver that decides what may be read (the CLI: the script's folder and the
 * folders named with --allow-dir, regular files only, a size cap).
 */
import { fail } from './errors.js';

/** A resolver's answer: the text, no such file, or a refusal with its reason (printed at the line). */
export type FileAnswer = { text: string } | { missing: true } | { refused: string };

/** Files by the path written in the script, or a resolver. */
export type FileSource = Record<string, string> | ((path: string) => FileAnswer);

/** The text of `path`, or the command fails: compose's own error for a missing file, else the refusal. */
export function readCommandFile(files: FileSource, path: string): string {
  const answer: FileAnswer = typeof files === 'function'
    ? files(path)
    : lookup(files, path);
  if ('text' in answer) return answer.text;
  if ('missing' in answer) return fail(`open ${path}: The system cannot find the file specified.`);
  return fail(answer.refused);
}

function lookup(files: Record<string, string>, path: string): FileAnswer {
  const text = Object.hasOwn(files, path) ? files[path] : files[path.replace(/^\.[\\/]/, '')];
  return text === undefined ? { missing: true } : { text };
}
