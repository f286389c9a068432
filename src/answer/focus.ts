/**
 * The question's focus: the attribute or thing asked about, as opposed to its topic (what it is
 * asked of). "Wie heißt der Hund des Bürgermeisters?" asks for the dog's name — the focus is
 * "Hund", the genitive "des Bürgermeisters" is the topic; "How fast is the ZT-180?" asks for a
 * speed of the topic "ZT-180". A sentence that covers the topic but names neither the focus nor a
 * figure of the focus's unit family does not state the asked-for fact (issue 9: "not stated"
 * instead of a made-up short answer).
 *
 * The notion is the "question focus" of TREC-era question analysis (Moldovan et al., "The
 * structure and performance of an open-domain question answering system", ACL 2000: the focus
 * is the word or phrase that says what the question is looking for) and the "answer-type
 * denoting noun" of Prager et al.; the frames below are our own, for English and German.
 *
 * Measured with scripts/answer-eval.ts --near-miss --unanswerable (EMBEDDINGS=off, 2 Dec 2026),
 * rules set on the TUNING part only: near-miss refused EN→DE 0.320 → 0.347, DE→DE 0.333 → 0.387
 * (paired, both runs: +0.040, bootstrap 95 % [+0.013, +0.073], 6 gained, 0 lost), answer@1
 * unchanged (0.677 / 0.733), false abstention@top1 0.012 → 0.014 / 0.022 → 0.027. Reporting part
 * (read once at the end): near-miss 0.244 → 0.289 / 0.311 → 0.356 (+0.044 [+0.011, +0.089]),
 * answer@1 0.650 → 0.645 / 0.691 → 0.687 (2 of 431 lost: "What is the Dutch word for …" takes
 * "word" as the focus). Tried on tuning and dropped: "how many X" (the counted noun is often said
 * in other words: "390 Personen" for "Siedler"; 5 answered questions lost for 2 near misses) and
 * the noun of any untyped "which/what X" (answer@1 0.677 → 0.646 / 0.733 → 0.701 for near-miss
 * +0.040 / +0.040: the answer names an instance, "Dampfmaschinen-Indikator" for "Messgerät"), and
 * the event verb of "when" questions ("Wann wurde X gegründet?" → "gegründet"; answer@1 −0.007 /
 * −0.015 for +0.013 / +0.066: "Nach der Gründung … im Jahr 1788"). Sentence-level rules tried in
 * extract.ts and not kept (same tuning runs): a typed candidate with score < 0.4 and window
 * coverage (sentence ± 1) < 0.4 → near-miss +0.053 / +0.027 but refuses seed questions ("When
 * should the drones be delivered?", window 0.08 through the translations); an untyped sentence
 * with window coverage < 0.3 → +0.053 / +0.040, answer@1 −0.005 / −0.003, false abstention@top1
 * EN 0.038; no coverage margin over the next-best sentence with window < 0.3 → +0.120 / +0.080,
 * answer@1 −0.014 / −0.003, false abstention@top1 0.049 / 0.040.
 *
 * Everything here is linear in the question length.
 */
import { tokenize, type Token } from '../text/tokenize.js';
import { NUMBER_NOUN, ORG_NOUN, PERSON_NOUN, PLACE_NOUN, type NumberUnit, type QuestionAnalysis } from './question.js';
import { stem } from '../text/stem.js';
import type { Candidate } from './candidates.js';
import type { QueryGroup } from '../search/lexical.js';

/** What kind of figure answers a focus: a number unit family, a duration, or an age. */
export type FocusFamily = NumberUnit | 'duration' | 'age';

/** The focus found by {@link questionFocus}. */
export interface QuestionFocus {
  /** The focus noun (its head, the last word of its phrase) as a normalised token (tokenize().norm). */
  word: string;
  /**
   * All words that name the focus (normalised): the noun phrase ("basic", "unit"), the parts of a
   * hyphenated compound ("ntl", "dienste") and the attribute head of a German compound
   * ("Turbinengeschwindigkeit" → "geschwindigkeit"). A sentence naming any of them names the focus.
   */
  words: string[];
  /**
   * Unit family whose figure answers the question ("Preis" → money, "Einwohner" → count), or
   * `duration` ("Gültigkeitsdauer", "how old" is `age`), or null.
   */
  family: FocusFamily | null;
  /** The question frame that gave the focus (for tests and logs). */
  frame: 'name-of' | 'attribute-of' | 'how-adjective' | 'how-old' | 'attribute';
}

/**
 * Attribute nouns with the unit family of their figure (EN and DE, normalised forms). German
 * compounds are read by their last part ("Kaufpreis", "Sendegebühren"), see {@link attributeFamily}.
 */
const ATTRIBUTE: [RegExp, NumberUnit][] = [
  [/^(speed|speeds|velocity|top speed|geschwindigkeit|tempo)$/, 'speed'],
  [/^(price|prices|cost|costs|fee|fees|value|worth|budget|salary|wage|wages|revenue|preis|preise|preises|kosten|gebühr|gebühren|wert|budget|gehalt|lohn|umsatz)$/, 'money'],
  [/^(weight|mass|gewicht|gewichts)$/, 'weight'],
  [/^(length|height|width|depth|distance|range|diameter|länge|höhe|breite|tiefe|entfernung|distanz|reichweite|durchmesser)$/, 'distance'],
  [/^(population|inhabitants|residents|einwohner|einwohnerzahl|bevölkerung|bevölkerungszahl)$/, 'count'],
  [/^(power|output|capacity|leistung|kapazität|nennleistung)$/, 'power'],
  [/^(area|surface|fläche|flächen)$/, 'area'],
  [/^(temperature|temperatur|temperaturen)$/, 'temperature'],
  [/^(percentage|proportion|share|prozentsatz|anteil|quote)$/, 'percent'],
];

/** Last parts of German compounds naming an attribute ("Höchstgeschwindigkeit", "Baukosten"). */
const ATTRIBUTE_END: [RegExp, NumberUnit][] = [
  [/.{3,}(geschwindigkeit)$/, 'speed'],
  [/.{3,}(preis|preise|preises|kosten|gebühr|gebühren|gehalt|umsatz)$/, 'money'],
  [/.{3,}(gewicht)$/, 'weight'],
  [/.{3,}(länge|höhe|breite|tiefe|entfernung|reichweite)$/, 'distance'],
  [/.{3,}(einwohnerzahl|bevölkerungszahl)$/, 'count'],
  [/.{3,}(leistung)$/, 'power'],
  [/.{3,}(fläche)$/, 'area'],
  [/.{3,}(temperatur)$/, 'temperature'],
];

/**
 * Unit family of an attribute noun (normalised token), or null when it names no measurable
 * attribute.
 */
export function attributeFamily(norm: string): FocusFamily | null {
  for (const [re, f] of ATTRIBUTE) if (re.test(norm)) return f;
  for (const [re, f] of ATTRIBUTE_END) if (re.test(norm)) return f;
  if (/^(duration|period|lifetime|dauer|zeitraum|laufzeit)$|.{3,}dauer$/.test(norm)) return 'duration';
  if (/^(age|alter)$/.test(norm)) return 'age';
  return null;
}

/**
 * Focus nouns that name the answer's type (a person, organisation, place, date or score: "Wie
 * heißt der Spieler", "Wie lautete das Endergebnis"), ask for a reason, aim or idea (answered
 * by a clause in other words: "What was the goal of …"), or are too general to be repeated
 * ("part", "type", "operation"): the sentence need not repeat them.
 */
function isAnswerTypeNoun(norm: string): boolean {
  const n = norm.replace(/(s|es)$/, '');
  return [norm, n].some((x) => PERSON_NOUN.test(x) || ORG_NOUN.test(x) || PLACE_NOUN.test(x) || NUMBER_NOUN.test(x)) ||
    /^(partners?|geschäftspartner|endstand|ergebnis|ergebnisse|resultat|goal|goals|aim|aims|purpose|reason|reasons|cause|causes|idea|ideas|effect|effects|result|results|consequence|role|function|meaning|definition|ziel|ziele|zweck|grund|gründe|ursache|ursachen|idee|ideen|hauptidee|folge|folgen|wirkung|rolle|funktion|bedeutung|term|terms|word|words|wort|wörter|begriff|bezeichnung|expression|ausdruck|operation|operations|thing|things|part|parts|type|kind|form|way|teil|teile|sache|ding|art|weise)$/.test(norm) ||
    /.{3,}(idee|grund|ziel|zweck|ergebnis)$/.test(norm);
}

const ARTICLE = /^(the|a|an|its|their|his|her|der|die|das|den|dem|des|ein|eine|einen|einem|eines|sein|seine|seinen|ihr|ihre|ihren)$/;
/** Words before the focus noun that are not it (degree words, ordinals, common adjectives of frames). */
const NOT_FOCUS = /^(exact|exakte[nrs]?|genaue[nrs]?|full|vollständige[nrs]?|official|offizielle[nrs]?|current|aktuelle[nrs]?|last|first|letzte[nrs]?|erste[nrs]?|total|gesamte[nrs]?)$/;
/** Nouns of naming frames: the thing named follows them ("the name of the dog"). */
const NAME_NOUN = /^(name|names|title|nachname|vorname|name|namen|titel|bezeichnung)$/;
/** Prepositions/articles that open the topic after the focus ("of", genitive articles, "von"). */
const TOPIC_OPEN = /^(of|for|in|on|at|des|der|von|vom|für|im|am|zum|zur|bei|beim)$/;

/**
 * The focus of a question (see the module doc), or null when the question has none that a
 * sentence could be checked against (e.g. "Who …?", "When …?", "What is X?").
 *
 * Frames (question lower-cased, a trailing "?" dropped):
 * - name-of: "Wie heißt/hieß/lautet der/die/das X [des Y]", "What is the name of [the Y's] X",
 *   "What is the X's/X called" → X (after a naming noun "Name/Titel", the noun after it);
 * - attribute-of: "What is/was the X of Y", "Was ist/war der/die/das X des/der/von Y" → X;
 * - how-adjective: "How high/wie hoch is/ist the X" where X is an attribute noun → X with its family;
 * - attribute: any attribute noun among the first words ("Welchen Preis …", "What speed …").
 * A possessive ("the mayor's dog") or genitive ("des Bürgermeisters") is the topic, never the focus.
 * @returns the focus word (normalised as text/tokenize.ts) and its unit family, or null.
 */
export function questionFocus(question: string): QuestionFocus | null {
  const tokens = tokenize(question);
  const w = tokens.map((t) => t.norm);
  const text = question.trim().toLowerCase();
  const at = (i: number) => w[i] ?? '';
  const isGerman = /^(wie|was|welche[rsmn]?|wer|wann|wo)\b/.test(text);
  /**
   * The focus noun phrase from token i, as [first, last] token indexes, or null: articles and
   * frame adjectives are skipped; in German the first capitalised word (nouns are capitalised);
   * in English the words up to "of"/a preposition, a verb or a relative word (at most three).
   */
  const phraseFrom = (i: number): [number, number] | null => {
    while (i < w.length && (ARTICLE.test(at(i)) || NOT_FOCUS.test(at(i)))) i++;
    if (i >= w.length) return null;
    if (isGerman) {
      for (let k = i; k < Math.min(w.length, i + 4); k++) if (tokens[k].capitalized) return [k, k];
      return null;
    }
    let k = i;
    while (k + 1 < w.length && k < i + 2 && !TOPIC_OPEN.test(at(k + 1)) && !isBoundary(tokens, k + 1) && !isPossessive(question, tokens[k])) k++;
    return [i, k];
  };
  const result = (r: [number, number] | null, frame: QuestionFocus['frame']): QuestionFocus | null => {
    if (!r) return null;
    let [from, to] = r;
    // A possessive noun is the topic: the phrase after it is the focus ("the mayor's dog").
    for (let k = from; k <= to; k++) if (isPossessive(question, tokens[k])) return k + 1 < w.length ? result(phraseFrom(k + 1), frame) : null;
    // Names and numbers are the topic ("the ZT-180"): the phrase must hold a common word.
    while (from <= to && (/\d/.test(at(from)) || (!isGerman && tokens[from].capitalized && from > 0))) from++;
    if (from > to) return null;
    const word = at(to);
    if (isAnswerTypeNoun(word)) return null;
    const words = new Set<string>();
    for (let k = from; k <= to; k++) {
      words.add(at(k));
      for (const part of at(k).split('-')) if (part.length >= 3 && !/\d/.test(part)) words.add(part);
    }
    const head = /.{3,}(geschwindigkeit|preis|kosten|gebühren|gebühr|gewicht|länge|höhe|breite|tiefe|entfernung|reichweite|leistung|fläche|temperatur|einwohnerzahl)$/.exec(word);
    if (isGerman && head) words.add(head[1]);
    const family = attributeFamily(word);
    return { word, words: [...words], family, frame };
  };

  let m: RegExpExecArray | null;
  // "Wie heißt der Hund des Bürgermeisters", "Wie lautet der Name des Hundes".
  if ((m = /^wie (heißt|hieß|heißen|hießen|lautet|lautete|lauten|lauteten|nennt man)\s/.exec(text))) {
    const r = phraseFrom(wordIndexAt(tokens, m[0].length));
    if (r && NAME_NOUN.test(at(r[1]))) return result(phraseFrom(r[1] + 1 + (TOPIC_OPEN.test(at(r[1] + 1)) ? 1 : 0)), 'name-of');
    return result(r, 'name-of');
  }
  // "What is the name of the mayor's dog", "What is the dog called".
  if ((m = /^(what|which) (is|was|are|were) (the )?(name|names|title) of\s/.exec(text))) {
    return result(phraseFrom(wordIndexAt(tokens, m[0].length)), 'name-of');
  }
  if ((m = /^what (is|was|are|were) (the )?(.+?) (called|named)$/.exec(text.replace(/[?!.]+$/, '')))) {
    return result(phraseFrom(wordIndexAt(tokens, text.indexOf(m[3], m[1].length))), 'name-of');
  }
  // "How old was X", "Wie alt ist X": an age ("39 Jahre alt", "im Alter von 39 Jahren", "39-jährig").
  if (/^(how old|wie alt)\b/.test(text)) return { word: isGerman ? 'alt' : 'old', words: ['alt', 'alter', 'old', 'age', 'aged', 'jährig', 'jährige', 'jährigen', 'jähriger'], family: 'age', frame: 'how-old' };
  // "How high is the price", "Wie hoch waren die jährlichen Sendegebühren": an attribute noun after the adjective.
  if ((m = /^(how (high|big|large|great|much|long)|wie (hoch|groß|lang|viel)) (is|was|are|were|ist|war|sind|waren|wird|werden)\s/.exec(text))) {
    const f = result(phraseFrom(wordIndexAt(tokens, m[0].length)), 'how-adjective');
    return f?.family ? f : null;
  }
  // "What is the speed of …", "Was ist die Spurweite der Eisenbahnstrecken".
  if ((m = /^(what|was) (is|was|are|were|ist|war|sind|waren|wäre) (the|der|die|das|den)\s/.exec(text))) {
    const r = phraseFrom(wordIndexAt(tokens, m[0].length) - 1);
    if (!r) return null;
    // "Was war der Impulsgeber, der …": after a comma "der" opens a relative clause, not a genitive topic.
    const next = /^\s*,/.test(question.slice(tokens[r[1]].end)) ? ',' : at(r[1] + 1);
    if (NAME_NOUN.test(at(r[1]))) return TOPIC_OPEN.test(next) ? result(phraseFrom(r[1] + 2), 'name-of') : null;
    // Only with a topic after it ("of Y", "des Y"): "What is the capital?" alone has none to check against.
    return TOPIC_OPEN.test(next) ? result(r, 'attribute-of') : null;
  }
  // "Welchen Preis hat …", "What speed does … reach": an attribute noun right after the question word.
  if ((m = /^(what|which|welche[rsmn]?|in welche[rmn]?|mit welche[rmn]?)\s/.exec(text))) {
    const f = result(phraseFrom(wordIndexAt(tokens, m[0].length)), 'attribute');
    if (f?.family && attributeFamily(f.word)) return f;
  }
  return null;
}

/** True when the token is written with a possessive "'s" or "'" ("mayor's", "Tesla's"). */
function isPossessive(question: string, t: Token): boolean {
  return /^['’]s?\b/.test(question.slice(t.end, t.end + 3)) || /['’]s$/.test(question.slice(t.start, t.end));
}

/** Index of the first token starting at or after character `offset` of the question. */
function wordIndexAt(tokens: Token[], offset: number): number {
  const i = tokens.findIndex((t) => t.start >= offset);
  return i < 0 ? tokens.length : i;
}

/** English words that end a noun phrase: verbs and auxiliaries of the question ("the dog called"). */
function isBoundary(tokens: Token[], k: number): boolean {
  const n = tokens[k]?.norm ?? '';
  return /^(is|are|was|were|be|been|do|does|did|has|have|had|will|would|can|could|that|which|who|whom|whose|when|where|and|or|to|from|by|with|as|the|a|an)$/.test(n) || /^.{2,}[^e]ed$|^.{3,}ing$/.test(n);
}

/**
 * The answer type with the unit family of the focus: "Wie hoch waren die Kosten …" asks for money,
 * not a height ("wie hoch" alone types as a distance). Unchanged when the focus has no unit
 * family or the question is not a number question.
 * @returns a new analysis (the input is not changed).
 */
export function withFocusUnit(qa: QuestionAnalysis, focus: QuestionFocus | null): QuestionAnalysis {
  const f = focus?.family;
  if (!f || f === 'duration' || f === 'age' || f === 'count' || f === 'any') return qa;
  // Untyped questions stay untyped: their answer may be a figure in a unit the candidates do not
  // know ("3600 Umdrehungen pro Minute" for a turbine speed); focusStated still checks them.
  return qa.type === 'number' ? { ...qa, unit: f } : qa;
}

/** What {@link focusStated} reads of the chosen sentence. */
export interface FocusEvidence {
  /** Per query group: true when the sentence (its quoted span) matches it. */
  matchedGroups: boolean[];
  /** Tokens and candidates (src/answer/candidates.ts) of the quoted span. */
  tokens: Token[];
  candidates: Candidate[];
}

/**
 * Does the chosen sentence state the asked-for fact, as far as the focus tells?
 *
 * - A focus with a unit family ("Preis", "Sendegebühren", "speed"): stated when the sentence
 *   holds a figure of that family or names the focus.
 * - Any other focus, for untyped questions only ("Wie heißt der Hund …", "What is the basic unit
 *   of …"; typed ones already need a candidate of their type): stated when the sentence names one
 *   of the focus words — through the query group that carries it (its stems and translations), or
 *   for a compound's part or head ("Geschwindigkeiten" for "Turbinengeschwindigkeit") by its
 *   German stem or as the end of a sentence word.
 * True when there is no focus, or when no query group carries a focus word (it was not searched,
 * so it cannot be checked).
 * @returns false when the sentence does not state the fact ("not stated").
 */
export function focusStated(focus: QuestionFocus | null, qa: QuestionAnalysis, groups: readonly QueryGroup[], evidence: FocusEvidence): boolean {
  if (!focus) return true;
  if (!focus.family && qa.type !== 'other') return true;
  if (focus.family && evidence.candidates.some((c) => familyFits(focus.family!, c))) return true;
  const own = groups.flatMap((g, i) => (g.label.split(' ').some((x) => focus.words.includes(x)) ? [i] : []));
  if (own.length === 0 && !focus.family) return true;
  if (own.some((i) => evidence.matchedGroups[i])) return true;
  const stems = new Set(evidence.tokens.map((t) => stem(t.norm, 'de')));
  return focus.words.some((x) => x.length >= 3 && (stems.has(stem(x, 'de')) || (x.length >= 5 && evidence.tokens.some((t) => t.norm.length > x.length && t.norm.endsWith(x)))));
}

/** A candidate answers a family: a figure of its unit (for counts any bare count), a duration for a duration or an age. */
function familyFits(family: FocusFamily, c: Candidate): boolean {
  if (family === 'duration') return c.kind === 'duration';
  // An age is a span of years ("39 Jahre", "515 Millionen Jahre"), or said in words ("alt", "Alter").
  if (family === 'age') return c.kind === 'duration';
  if (c.kind !== 'number') return false;
  if (family === 'count' || family === 'any') return c.unit === 'count' || c.unit === 'any';
  return c.unit === family;
}
