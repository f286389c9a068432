/**
 * Dictionary hooks for checking LLM replies (verify.ts): English → German translations of a
 * reply word, and whether a word is an ordinary English or German word (known to the Ding
 * dictionary) rather than a name.
 */
import { translateEnglish, type Dictionary } from '../search/dictionary.js';
import type { VerifyOptions } from './verify.js';

/** The hooks for `dict`, or undefined without a dictionary (the checks then run on spelling). */
export function verifyHooks(dict: Dictionary | null): Pick<VerifyOptions, 'translate' | 'isCommonWord'> | undefined {
  if (!dict) return undefined;
  return {
    translate: (w: string) => translateEnglish(dict, w.toLowerCase()),
    isCommonWord: (w: string) => dict.en.get(w.toLowerCase()) !== undefined || (dict.deFreq.get(w.toLowerCase()) ?? 0) > 0,
  };
}
