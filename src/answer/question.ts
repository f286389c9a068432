/**
 * Question analysis: the answer type a question expects (English and German), in the manner of
 * the answer typing of TREC factoid QA systems (e.g. Moldovan et al., "The structure and
 * performance of an open-domain question answering system", ACL 2000): the question word and the
 * noun after "which/what/welche" decide the type. The question's own numbers and codes ("ZT-180",
 * "2015") are recorded so they are never offered as the answer.
 */
import { tokenize } from '../text/tokenize.js';

/** What kind of short answer a question asks for. */
export type AnswerType =
  | 'person'
  | 'organisation'
  | 'place'
  | 'date'
  | 'number'
  | 'duration'
  | 'yesno'
  | 'other';

/** Unit family of a number answer; `count` is a bare count of things. */
export type NumberUnit = 'count' | 'weight' | 'money' | 'speed' | 'distance' | 'percent' | 'area' | 'temperature' | 'power' | 'any';

/** Result of {@link analyzeQuestion}. */
export interface QuestionAnalysis {
  type: AnswerType;
  /** For `number`: the unit family the answer must carry (`count`/`any` accept bare numbers). */
  unit: NumberUnit | null;
  /** Language of the question words that decided the type. */
  language: 'en' | 'de';
  /** Normalised tokens of the question (see text/tokenize.ts); a candidate made only of these is not an answer. */
  questionTerms: Set<string>;
  /** What the question asks about, for "not stated" messages ("how fast the ZT-180 is"). */
  topic: string;
  /** True when the question asks for a newspaper, magazine or broadcaster (a quoted title fits best). */
  media?: boolean;
  /** For date questions that ask for a year ("In which year …", "In welchem Jahr …"): true. */
  year?: boolean;
  /** For rate questions ("… per month?", "… pro Jahr?"): true, and the answer must be a rate. */
  rate?: boolean;
  /** "Who is the director of …": a person noun follows who-is-the, so only a person answers (no organisation fallback). */
  personNoun?: boolean;
  /** "How long is the <thing>" with no take/last verb: a length or a duration answers. */
  orDuration?: boolean;
  /** For "how many X / wie viele X": the lower-case word X (what is counted). */
  countNoun?: string;
}

/** Nouns naming the kind of entity asked for (EN/DE), as in "which magazine"; see {@link analyzeQuestion}. */
export const ORG_NOUN =
  /^(company|companies|firm|corporation|business|manufacturer|maker|producer|newspaper|paper|magazine|journal|agency|entity|organi[sz]ation|institution|university|college|school|party|team|club|band|group|bank|network|channel|broadcaster|publisher|airline|ministry|department|government|contractor|contractors|supplier|suppliers|operator|operators|developer|developers|institute|institutes|office|authority|authorities|unternehmens?|firma|firmen|konzerns?|hersteller[sn]?|zeitung|zeitschrift|magazins?|blatt|agentur|organisation|institution|universität|hochschule|schule|partei|mannschaft|teams?|vereins?|verein|bank|senders?|verlags?|ministeriums?|instituts?|amts?|amtes|regierung|behörden?|betreiber[sn]?|büros?|architekturbüros?|baufirma|versorger[sn]?|energieversorger[sn]?|zulieferer[sn]?)$/;
/** Nouns naming the kind of entity asked for (EN/DE), as in "which magazine"; see {@link analyzeQuestion}. */
export const MEDIA_NOUN = /^(newspaper|paper|magazine|journal|channel|broadcaster|publisher|network|zeitung|zeitschrift|magazins?|blatt|senders?|verlags?)$/;
/** Nouns naming the kind of entity asked for (EN/DE), as in "which magazine"; see {@link analyzeQuestion}. */
export const PERSON_NOUN =
  /^(person|persons|people|man|men|woman|women|king|queen|president|leader|author|writer|player|players|coach|scientist|artist|composer|emperor|empress|minister|chancellor|pope|founder|inventor|actor|actress|singer|musician|quarterback|defender|athlete|politician|physicist|chemist|mathematician|engineer|philosopher|poet|painter|architect|director|governor|mayor|senator|bishop|prince|princess|duke|son|daughter|father|mother|wife|husband|brother|sister|teacher|professor|student|explorer|general|commander|ruler|monarch|pharaoh|sultan|khan|saint|prophet|priest|monk|theologian|reformer|historian|economist|lawyer|judge|doctor|physician|officer|soldier|pilot|astronaut|designer|owner|ceo|chairman|chairwoman|chair|head|chief|captain|manager|boss|spokesman|spokesperson|secretary|member|winner|champion|mann|frau|könig|königin|präsident(in)?|anführer(in)?|autor(in)?|schriftsteller(in)?|spieler(in)?|trainer(in)?|wissenschaftler(in)?|künstler(in)?|komponist(in)?|kaiser(in)?|minister(in)?|kanzler(in)?|papst|gründer(in)?|erfinder(in)?|schauspieler(in)?|sänger(in)?|musiker(in)?|generalsekretär(in)?|verteidiger(in)?|sportler(in)?|athlet(in)?|politiker(in)?|physiker(in)?|chemiker(in)?|mathematiker(in)?|ingenieur(in)?|philosoph(in)?|dichter(in)?|maler(in)?|architekt(in)?|direktor(in)?|gouverneur(in)?|bürgermeister(in)?|bischof|prinz(essin)?|herzog(in)?|sohn|tochter|vater|mutter|ehefrau|ehemann|bruder|schwester|lehrer(in)?|professor(in)?|student(in)?|entdecker(in)?|feldherr|herrscher(in)?|heilige[rn]?|prophet|priester|mönch|theologe|reformator|historiker(in)?|ökonom(in)?|anwalt|anwältin|richter(in)?|arzt|ärztin|offizier|soldat|pilot(in)?|besitzer(in)?|eigentümer(in)?|vorsitzende[rn]?|sprecher(in)?|leiter(in)?|chef(in)?|kapitän(in)?|geschäftsführer(in)?|mitglied|sieger(in)?|gewinner(in)?|quarterback|nachname|vorname|nachnamen|vornamen)$/;
/** Nouns after what/which that ask for a number ("What was the final score", "Welcher Anteil"); see {@link analyzeQuestion}. */
export const NUMBER_NOUN =
  /^(score|population|percentage|percent|proportion|number|amount|total|rate|endstand|endergebnis|spielstand|einwohnerzahl|bevölkerungszahl|anzahl|zahl|prozentsatz|anteil|summe|betrag|quote)$/;
/** "What is the (last) name of …", "Wie heißt der …": the noun after decides (a person noun → person). */
const NAME_OF = /^(what|which|was|wie) (is|was|are|were|ist|war|sind|waren|heißt|hieß|heißen|hießen|lautet|lautete|lauten) (the |der |die |das |den )?(last |first |full |family )?(name|nachname|vorname|name)?/;
/** Quantity question words inside the question ("Peyton Manning took how many teams…", "Mit wie vielen…"). */
const EMBEDDED_QUANTITY = /(^|[\s,])(how many|how much|wie viele[n]?|wie viel|wieviele[n]?|what percent(age)?|welche[rnm]? (anteil|prozentsatz))\b/;
/** Nouns naming the kind of entity asked for (EN/DE), as in "which magazine"; see {@link analyzeQuestion}. */
export const PLACE_NOUN =
  /^(country|countries|city|cities|town|state|region|area|place|location|continent|island|river|mountain|province|district|colony|kolonie|land|länder|landes|stadt|städte|ort|orte|region|gebiet|kontinent|insel|fluss|berg|provinz|bezirk|bundesland|staat|staaten)$/;
const DATE_NOUN = /^(year|years|date|day|month|century|decade|time|jahr|jahres|jahrhundert|jahrzehnt|datum|tag|monat|zeitpunkt)$/;

/** Measured nouns (German compound heads and English nouns) → the unit family of "wie hoch ist die …" questions. */
const MEASURED: [string, NumberUnit][] = [
  ['leistung|kapazität|capacity|output|power', 'power'],
  ['kosten|preis|preise|miete|gebühr|gebühren|budget|betrag|summe|etat|investition|investitionen|cost|costs|price|prices|fee|fees|rent', 'money'],
  ['anteil|quote|share|proportion', 'percent'],
  ['geschwindigkeit|tempo|speed', 'speed'],
  ['gewicht|weight', 'weight'],
  ['fläche|area', 'area'],
  ['temperatur|temperature', 'temperature'],
  ['zahl|anzahl|number', 'count'],
];

/** English/German question words → type (the first match, in question order, wins). */
const WH: [RegExp, AnswerType, NumberUnit | null][] = [
  // "Wie hoch ist die Gesamtleistung?", "How high are the total costs?": the measured noun (or a
  // German compound's head) decides, not "hoch/high".
  ...MEASURED.map(([head, unit]): [RegExp, AnswerType, NumberUnit | null] => [new RegExp(`^(wie (hoch|groß|hohe|große) (ist|war|sind|waren|wird|werden|wäre) (der|die|das|den|seine|ihre|deren|dessen) \\S*(${head})|how (high|large|big) (is|was|are|were|will be) (the|its|their) ((total|overall|annual|estimated|expected|planned) )?(${head}))\\b`), 'number', unit]),
  [/^(how fast|how quick(ly)?|at what speed|wie schnell|mit welcher geschwindigkeit)\b/, 'number', 'speed'],
  [/^(how (heavy|much does .* weigh|much did .* weigh)|wie schwer|wie viel wiegt)\b/, 'number', 'weight'],
  [/^(how much (money|does .* cost|did .* cost|do .* cost|is .* worth|was .* worth)|how expensive|what (is|was) the (price|cost)|wie teuer|was kostet|was kosteten?|wie viel (kostet|kostete|kosteten|hat .* gekostet|haben .* gekostet)|wie viel geld)\b/, 'number', 'money'],
  [/^(how powerful|what (is|was|will be) (the|its) (power|output|capacity|rated power|generating capacity)|wie (hoch|groß) (ist|war|wird) (die|seine|ihre) (leistung|kapazität|nennleistung)|welche leistung|wie viel leistung|wie leistungsstark)\b/, 'number', 'power'],
  [/^(how far|how (long|high|tall|deep|wide) is (the )?(distance|river|road|line|bridge|tower|building|mountain|wall|track|route|tunnel)|how (high|tall|deep|wide|thick)|wie weit|wie hoch|wie tief|wie breit|wie dick)\b/, 'number', 'distance'],
  [/^(what percent(age)?|how many percent|wie viel prozent|wieviel prozent|welche(n|r)? (anteil|prozentsatz))\b/, 'number', 'percent'],
  [/^(how (big|large) (is|was|are|were)|wie groß (ist|war|sind))\b/, 'number', 'any'],
  // "How long is the wall?" asks for a length; "How long did it take?" for a duration.
  [/^(how long (is|was|are|were) (the|a|an|this|that|its|each|every|one|their)\b(?!.*\b(take|took|last|lasted|ago|since|reign|war|trip|journey|flight|ride|process|season|term|stay|wait)\b)|wie lang (ist|war|sind|waren|wird|werden))/, 'number', 'distance'],
  // "How long will the tram line be?" asks for a length too.
  [/^how long (will|would|should) (the|a|an|this|that|its) (?!.*\b(war|trip|journey|flight|ride|process|season|term|stay|wait|visit|strike)\b).* be$/, 'number', 'distance'],
  [/^(how long|for how long|wie lange|seit wie vielen? (jahren|monaten|tagen))\b/, 'duration', null],
  [/^(how old|wie alt)\b/, 'number', 'any'],
  [/^(how many|how much|how often|wie viele?|wieviele?|wie oft|wie viel)\b/, 'number', 'count'],
  [/^(when|since when|until when|by when|what year|which year|in what year|in which year|what date|on what date|wann|seit wann|bis wann|ab wann|in welchem jahr|welches jahr|in welchem jahrhundert|an welchem tag|welches datum)\b/, 'date', null],
  [/^(where|from where|wo|wohin|woher|von wo)\b/, 'place', null],
  [/^(who|whom|whose|by whom|wer|wem|wen|wessen|von wem|mit wem|für wen)\b/, 'person', null],
];

const WHICH = /^(which|what|what kind of|welche[rsmn]?|was für( ein(e|en|er|em)?)?|in which|in what|in welche[rmn]?|an welche[rmn]?|bei welche[rmn]?|von welche[rmn]?|aus welche[rmn]?|durch welche[rmn]?|mit welche[rmn]?|für welche[rmn]?|nach welche[rmn]?|zu welche[rmn]?|on which|at which|from which|by which|for which|with which|of which|to which)$/;
const YESNO = /^(is|are|was|were|do|does|did|can|could|will|would|has|have|had|should|may|might|must|shall|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|won't|can't|hasn't|haven't|ist|sind|war|waren|hat|haben|hatte|hatten|kann|können|konnte|wird|werden|wurde|wurden|gibt|gab|soll|sollen|sollte|sollten|darf|dürfen|durfte|durften|muss|müssen|musste|mussten|könnte|könnten|würde|würden|wäre|wären|bleibt|bleiben|liegt|liegen|steht|stehen|gilt|gelten)$/;
/**
 * German verb-first questions ("Fährt die Straßenbahn …?", "Kostet der Bau …?"): a first word
 * with a finite-verb ending followed by an article or pronoun, and no question word anywhere.
 */
const DE_VERB_FIRST = /^(?!(nennen|nenne|zeige|zeigen|erkläre|erklären|beschreibe|beschreiben|geben|sagen|listen|finden|suchen)\b)[a-zäöüß]{3,}(t|en|te|ten)\s+(der|die|das|den|dem|des|ein|eine|einen|einem|einer|es|er|sie|man|ich|wir|ihr|sich|jemand|dort|hier|noch|schon|auch)\b/;
const ANY_WH = /\b(wer|wen|wem|wessen|was|wann|wo|wohin|woher|wie|welche[rsmn]?|warum|weshalb|wieso|who|whom|whose|what|when|where|which|why|how)\b/;

/** Question lead-ins to skip before the question word ("And", "So", "Laut dem Text"). */
const LEAD = /^(and|so|but|now|und|also|aber|laut dem text|according to the text)\s*,?\s+/;

/**
 * Expected answer type of a question.
 * @param question the user's question (any case; EN or DE).
 * @returns type, unit family for numbers, the question's own terms and a short topic phrase.
 */
export function analyzeQuestion(question: string): QuestionAnalysis {
  const q = question.trim().toLowerCase().replace(/[¿?!.]+$/, '').replace(LEAD, '');
  const tokens = tokenize(question);
  const questionTerms = new Set(tokens.map((t) => t.norm));
  const verbFirst = DE_VERB_FIRST.test(q) && !ANY_WH.test(q);
  // "Was the bridge closed?" is English: "was" before an English article or pronoun.
  const englishWas = /^was (the|a|an|there|it|he|she|they|this|that|his|her|its)\b/.test(q);
  const german = !englishWas && (verbFirst || /^(wer|wem|wen|wessen|was|wann|wo|wohin|woher|wie|welche[rsmn]?|warum|weshalb|ist|sind|war|hat|haben|hatte|hatten|kann|können|konnte|wird|werden|wurde|wurden|gibt|gab|darf|dürfen|muss|müssen|soll|sollen|sollte|bleibt|liegt|steht|von|mit|in|an|aus|bei|seit|bis|durch|für|nach|zu)\b/.test(q) && !/^(in which|in what|on which|at which)\b/.test(q));
  const language: 'en' | 'de' = german ? 'de' : 'en';
  const rate = RATE.test(q);
  const year = /\b(what|which|welche[rsmn]?) (year|jahr|jahres)\b/.test(q);
  const personNoun = isPersonAfterWhoIs(q);
  const orDuration = /^(how long (is|was|are|were) |how long (will|would|should) .* be$|wie lang (ist|war|sind|waren|wird|werden) )/.test(q);
  const result = (type: AnswerType, unit: NumberUnit | null): QuestionAnalysis => ({
    type, unit, language, questionTerms, topic: topicOf(question), ...(rate && type === 'number' ? { rate } : {}), ...(year && type === 'date' ? { year } : {}),
    ...(personNoun && type === 'person' ? { personNoun } : {}), ...(orDuration && type === 'number' && unit === 'distance' ? { orDuration } : {}),
  });

  // The question word may come after a preposition or lead ("In what year…", "Nach Angaben von wem…").
  for (const [re, type, unit] of WH) {
    if (!re.test(q)) continue;
    // "Wie viele Tonnen …", "How many kilometres …": the unit named after the question word decides.
    if (type === 'number' && unit === 'count') {
      const counted = countedUnit(q);
      if (counted) return result(type, counted);
      const noun = countedNoun(question);
      return noun ? { ...result(type, unit), countNoun: noun } : result(type, unit);
    }
    return result(type, unit);
  }
  const words = q.split(/\s+/);
  // "Peyton Manning took how many teams…", "Mit wie vielen Interceptions…": the question word is inside.
  const inner = EMBEDDED_QUANTITY.exec(q);
  if (inner) {
    const rest = q.slice(inner.index + inner[1].length);
    for (const [re, type, unit] of WH) if (type === 'number' && re.test(rest)) return result(type, unit);
    return result('number', /percent|anteil|prozentsatz/.test(inner[2]) ? 'percent' : 'count');
  }
  // The answer type a noun after "which/what" names ("Which company", "welches Jahr"), or null.
  const byNoun = (w: string): QuestionAnalysis | null => {
    const n = headOf(w);
    if (NUMBER_NOUN.test(n)) return result('number', /percent|anteil|prozentsatz/.test(n) ? 'percent' : 'any');
    if (isOrgNoun(n)) return { ...result('organisation', null), media: MEDIA_NOUN.test(n) };
    if (PERSON_NOUN.test(n)) return result('person', null);
    if (PLACE_NOUN.test(n)) return result('place', null);
    if (DATE_NOUN.test(n)) return result('date', null);
    return null;
  };
  // "During the playoff games, who did not throw?", "A decision by what entity …": a question word
  // inside a question that does not start with one.
  if (!/^(what|which|who|whom|whose|when|where|why|how|was|welche[rsmn]?|wer|wem|wen|wessen|wann|wo|wohin|woher|warum|wie)\b/.test(q)) {
    if (/,\s*(who|wer)\b/.test(q)) return result('person', null);
    const m = /\b(what|which|welche[rsmn]?)\s+(kind of |sort of |type of )?(\S+)(\s+(\S+))?/.exec(q);
    if (m) {
      for (const w of [m[3], m[5]]) {
        if (!w) continue;
        const typed = byNoun(w);
        if (typed) return typed;
      }
    }
  }
  // "What is the last name of the player …", "Wie heißt der Quarterback …".
  const nameOf = NAME_OF.exec(q);
  if (nameOf && (nameOf[4] || nameOf[5] || /^wie/.test(q))) {
    if (nameOf[4] && nameOf[5]) return result('person', null);
    const after = q.slice(nameOf[0].length).split(/\s+/).filter((w) => !/^(of|the|a|an|der|die|das|des|dem|den|von|vom)$/.test(w)).slice(0, 2);
    for (const w of after) {
      const n = headOf(w);
      if (PERSON_NOUN.test(n)) return result('person', null);
      if (isOrgNoun(n)) return { ...result('organisation', null), media: MEDIA_NOUN.test(n) };
    }
  }
  // "which/what/welche + noun": the noun decides.
  for (let i = 0; i < Math.min(words.length, 4); i++) {
    const lead = words.slice(0, i + 1).join(' ');
    if (!WHICH.test(lead) && !WHICH.test(words[i])) continue;
    // "What did the king do?": the noun after an auxiliary is the subject, not the answer type.
    if (/^(did|does|do|has|have|had|can|could|will|would|should|may|might|must|hat|haben|hatte|hatten|kann|können|konnte|konnten|wird|werden|tat|taten|macht|machte)$/.test(words[i + 1] ?? '')) return result('other', null);
    for (const w of words.slice(i + 1, i + 5)) {
      const typed = byNoun(w);
      if (typed) return typed;
    }
    return result('other', null);
  }
  if (/^(what|was) (is|was|are|were|ist|war|sind|waren) (the )?name\b/.test(q) || /^wie (heißt|hieß|heißen|hießen|lautet|lautete)\b/.test(q)) {
    return result('other', null);
  }
  // German "Was …?" asks "what", English "Was …?" is yes/no.
  if (YESNO.test(words[0] ?? '') && !(german && words[0] === 'was')) return result('yesno', null);
  if (verbFirst) return result('yesno', null);
  return result('other', null);
}

/** "per month", "a year", "pro Tag", "im Monat", "jährlich", "monthly": the question asks for a rate. */
const RATE =
  /\b((per|a|an|each|every|pro|je|im|in the|am|in einem|in a)\s+(second|minute|hour|day|week|month|year|sekunde|minute|stunde|tag|woche|monat|jahr)|hourly|daily|weekly|monthly|yearly|annually|stündlich|täglich|wöchentlich|monatlich|jährlich)\b/;

/** German organisation compounds after "welche/which" ("Forschungsinstitut", "Bundesministerium", "Landratsamt"). */
const ORG_COMPOUND = /^.{3,}(institut|instituts|ministerium|ministeriums|amt|amts|behörde|büro)$/;

/** True when the (lower-case) noun asks for an organisation: {@link ORG_NOUN} or a German organisation compound. */
function isOrgNoun(n: string): boolean {
  return ORG_NOUN.test(n) || ORG_COMPOUND.test(n);
}

/** German compound person titles ("Bezirksleiter", "Vorstandschef", "Institutsdirektorin"). */
const PERSON_COMPOUND = /^.{3,}(leiter|chef|direktor|führer|sprecher|präsident|vorsitzende|minister|kapitän)(in|s|en|innen)?$/;

/**
 * "Who is the director of …", "Wer ist Bezirksleiter der …": a person noun right after
 * who-is(-the) names a person's role, so the organisation of the topic is no answer.
 */
function isPersonAfterWhoIs(q: string): boolean {
  const m = /^(who|wer) (is|was|are|were|ist|war|sind|waren|wird|wurde) (the |a |an |der |die |das |ein |eine )?(current |new |former |neue[rn]? |aktuelle[rn]? |derzeitige[rn]? )?(\S+)/.exec(q);
  if (!m) return false;
  const n = headOf(m[5]);
  return PERSON_NOUN.test(n) || PERSON_COMPOUND.test(n);
}

/** Unit words after "how many/wie viele" → unit family ("wie viele Tonnen" asks for a weight). */
const COUNTED_UNIT: [RegExp, NumberUnit][] = [
  [/^(tonnen|tonnes|tons|kilogramm|kilograms|kilos|kilo|kg|gramm|grams)$/, 'weight'],
  [/^(meter|metern|metres|meters|kilometer|kilometern|kilometres|kilometers|km|miles|meilen|seemeilen|feet)$/, 'distance'],
  [/^(hektar|hectares|acres|quadratmeter|quadratkilometer)$/, 'area'],
  [/^(euro|dollar|dollars|franken)$/, 'money'],
  [/^(megawatt|kilowatt|gigawatt|megawatts|kilowatts|gigawatts|megawattstunden|kilowattstunden)$/, 'power'],
  [/^(prozent|percent)$/, 'percent'],
];

/**
 * What "how many X" / "wie viele X" counts, lower case, or null: the word after the question
 * words, for German only a capitalised one (a noun: "Wie viele Menschen", not "Wie viel hat").
 */
function countedNoun(question: string): string | null {
  const m = /(^|\s)(how many|wie viele|wie vielen|wieviele|wievielen)\s+(\p{L}+)/iu.exec(question);
  if (!m || /^(of|von|der|die|das|the|times|mal)$/i.test(m[3])) return null;
  if (/^w/i.test(m[2]) && !/^\p{Lu}/u.test(m[3])) return null;
  return m[3].toLowerCase();
}

/** The unit family named after "how many/wie viele" ("Wie viele Tonnen wiegt …" → weight), or null. */
function countedUnit(q: string): NumberUnit | null {
  const m = /^(how many|how much|wie viele?n?|wieviele?n?|wie viel)\s+(\S+)/.exec(q);
  if (!m) return null;
  for (const [re, unit] of COUNTED_UNIT) if (re.test(m[2])) return unit;
  return null;
}

/** A question word's noun for typing: letters only, the last part of a hyphenated compound ("panthers-spieler" → "spieler"). */
function headOf(word: string): string {
  const w = word.replace(/[^\p{L}-]/gu, '');
  return w.split('-').filter(Boolean).pop() ?? w;
}

const TOPIC_SKIP = /^(how|what|which|who|whom|whose|when|where|why|wie|was|welche[rsmn]?|wer|wem|wen|wessen|wann|wo|wohin|woher|warum|fast|quick|quickly|heavy|much|many|far|long|high|tall|big|large|old|often|schnell|schwer|viele?|weit|lange|hoch|groß|alt|oft|teuer|does|did|do|is|are|was|were|ist|sind|war|waren|hat|kann|wird|heißt|hieß|heißen|hießen|lautet|lautete|lauten|lauteten|nennt|nannte|man)$/i;

/** The question without its question words, for "not stated" messages ("the ZT-180"). */
function topicOf(question: string): string {
  const words = question.trim().replace(/[?!.]+$/, '').split(/\s+/);
  let i = 0;
  while (i < words.length - 1 && TOPIC_SKIP.test(words[i])) i++;
  return words.slice(i).join(' ');
}

/** Does the question's type want a number (count, measure, money, date year) as its answer? */
export function wantsQuantity(a: QuestionAnalysis): boolean {
  return a.type === 'number' || a.type === 'duration' || a.type === 'date';
}
