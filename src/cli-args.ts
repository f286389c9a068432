/** Argument helpers of the command-line interface (src/cli.ts). */
import { InvalidArgumentError } from 'commander';

/**
 * The question words of `ask` once commander let unknown options through: a word starting with
 * "-" is part of the question when it holds a blank ("-100 Drohnen?" given as one argument) or is
 * a negative number ("-40"), or when the words came after `--`; any other such word ("-x",
 * "--jsn") is a mistyped option.
 * @throws InvalidArgumentError naming the first mistyped option.
 */
export function questionWords(words: string[], literal: boolean): string[] {
  if (literal) return words;
  const bad = words.find((w) => /^-/.test(w) && !/\s/.test(w) && !/^-\d/.test(w));
  if (bad) throw new InvalidArgumentError(`unknown option '${bad}' (a question starting with "-" can follow \`--\`: ask -- -- "${bad} …")`);
  return words;
}
