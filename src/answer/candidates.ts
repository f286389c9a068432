/**
 * Typed answer candidates in one sentence: number phrases with their unit or what they count,
 * dates (day, month, year, century), durations, capitalised name runs (persons, organisations,
 * places) and quoted titles. Each candidate is a token range of the sentence, so its distance to
 * the matched question words can be measured (src/answer/rank.ts). Linear in the sentence length.
 */
import type { Token } from '../text/tokenize.js';
import type { NumberUnit } from './question.js';
import { findBodies } from './bodies.js';
import { introducesOrganisation, isOrganisationCompound, isStrongOrganisation, legalFormEnd } from './organisation.js';

/** Kinds of candidate. */
export type CandidateKind = 'number' | 'date' | 'duration' | 'name' | 'quoted' | 'body';

/** One candidate answer inside a sentence. */
export interface Candidate {
  kind: CandidateKind;
  /** For numbers: the unit family found after it (`count` when it counts a noun or stands bare). */
  unit: NumberUnit | null;
  /** Name flavour guessed from the surrounding words (for `name` and `quoted`). */
  flavour: 'person' | 'organisation' | 'place' | null;
  /** First and last token index (inclusive) in the sentence's token list. */
  from: number;
  to: number;
  /** Character offsets in the sentence text (end exclusive). */
  start: number;
  end: number;
}

/**
 * Tells a common (dictionary) word from a name; lower-case input. `place`, when given, tells the
 * dictionary words that are place names all the same ("russland", "moskau": Ding's `[geogr.]`
 * entries without a common sense, src/search/dictionary.ts); without it the place rules fall back
 * to the preposition and ending heuristics.
 */
export interface IsCommonWord {
  (lower: string): boolean;
  place?: (lower: string) => boolean;
}

/** True when `norm` (or its genitive, "Russlands") is a known place name. */
export function isPlaceName(isCommon: IsCommonWord | null, norm: string): boolean {
  const place = isCommon?.place;
  if (!place) return false;
  return place(norm) || (norm.length > 4 && /s$/.test(norm) && place(norm.slice(0, -1)));
}

const MONTH = /^(januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|january|february|march|may|june|july|october|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|okt|nov|dec|dez)$/;
const NUMBER_WORD = /^(ein|eine|einen|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|fünfzig|hundert|tausend|dutzend|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|dozen|beiden|both|half|halb|hälfte)$/;
const SCALE = /^(millionen|million|millions|mio|milliarden|milliarde|billion|billions|mrd|tausend|thousand|hundert|hundred|billionen|trillion)$/;
const MODIFIER = new Set([
  'rund', 'etwa', 'ca', 'circa', 'mindestens', 'höchstens', 'fast', 'knapp', 'über', 'unter', 'bis', 'zu', 'mehr', 'als', 'gut',
  'weniger', 'insgesamt', 'nur', 'about', 'around', 'approximately', 'at', 'least', 'most', 'up', 'to', 'over', 'nearly', 'almost',
  'some', 'more', 'than', 'less', 'only', 'roughly', 'just', 'under', 'ungefähr', 'annähernd', 'bereits', 'schon',
]);
/** Seasons (EN, DE): with a year they are a date. */
const SEASON = /^(sommer|winter|frühling|frühjahr|herbst|summer|spring|autumn|fall)$/;
const DATE_LEAD = new Set(['bis', 'seit', 'ab', 'vor', 'nach', 'until', 'by', 'since', 'before', 'after', 'in', 'im', 'am', 'on', 'anfang', 'ende', 'mitte', 'early', 'late', 'mid']);
const DURATION = /^(jahre|jahren|jahr|jahres|monate|monaten|monat|wochen|woche|tage|tagen|tag|stunden|stunde|minuten|minute|sekunden|jahrzehnte|jahrzehnten|jahrhunderte|jahrhunderten|years|year|months|month|weeks|week|days|day|hours|hour|minutes|minute|seconds|decades|decade|centuries)$/;

/** Unit words (lower case) → unit family. Symbols (€, $, %, °) are read from the text between tokens. */
const UNITS: Record<string, NumberUnit> = {};
const unit = (family: NumberUnit, words: string) => words.split(' ').forEach((w) => (UNITS[w] = family));
unit('money', 'euro euros eur gbp chf dollar dollars usd us-dollar us-dollars pfund pound pounds franken yen rubel rubles yuan mark cent cents pence won rupien rupees');
unit('weight', 'kg kilogramm kilogram kilograms kilo kilos tonnen tonne tonnes tons ton gigatons gigatonnes gigatonnen megatons megatonnes megatonnen gramm gram grams g pfund pounds lb lbs zentner');
unit('distance', 'km kilometer kilometern kilometre kilometres kilometers m meter metern metre metres meters cm zentimeter centimetres centimeters mm millimeter meilen meile miles mile feet foot ft fuß yards yard inches inch zoll seemeilen');
unit('speed', 'km/h stundenkilometer stundenkilometern mph knoten knots');
unit('percent', 'prozent percent prozentpunkte');
unit('area', 'quadratkilometer quadratmeter hektar hectares hectare acres acre km²');
unit('temperature', 'grad degrees celsius fahrenheit');
unit('power', 'w watt watts kw kilowatt kilowatts mw megawatt megawatts gw gigawatt gigawatts kwh mwh gwh kilowattstunden megawattstunden ps horsepower hp');
/** Unit family of a unit word (lower case: "kilometres" → distance), or null. */
export function unitFamily(word: string): NumberUnit | null {
  return UNITS[word] ?? null;
}
const PER = new Set(['pro', 'per', 'je', 'im', 'a', 'an', 'each', 'every', 'in', 'am', 'des', 'der', 'vom', 'von', 'of']);
const LINK = new Set(['und', 'bis', 'and', 'to', 'or', 'oder']);
const ORG_WORD = /^(ag|gmbh|se|kg|inc|corp|corporation|company|co|ltd|llc|plc|group|gruppe|konzern|technology|technologies|systems|industries|bank|verlag|universität|university|institute|institut|college|partei|party|zeitung|times|post|journal|news|agentur|agency|ministerium|ministry|council|rat|association|verband|verein|club|fc|airlines|airways|motors|holding|stiftung|foundation|partner|partners|energy|energie|energi|solar|power|renewables|construction|engineering|solutions|services|logistics|capital|ventures|telecom|pharma|rail|marine|shipping|consulting|electric|utilities|infrastructure|kommission|commission|union|organisation|organization|nato|uno|un|eu|who)$/;
const ORG_BEFORE = /^(unternehmen|firma|konzern|hersteller|drohnenhersteller|magazin|zeitung|zeitschrift|blatt|agentur|nachrichtenagentur|sender|verlag|partei|company|firm|manufacturer|maker|magazine|newspaper|paper|agency|network|broadcaster|group|team|mannschaft|verein|club)$/;
const PERSON_BEFORE = /^(herr|frau|mr|mrs|ms|dr|prof|professor|professorin|direktor|direktorin|leiter|leiterin|ingenieur|ingenieurin|architekt|architektin|geschäftsführer|geschäftsführerin|intendant|intendantin|rektor|rektorin|dekan|dekanin|pfarrer|pfarrerin|landrat|landrätin|director|manager|engineer|dean|chairwoman|chairman|präsident|präsidentin|president|kanzler|kanzlerin|chancellor|minister|ministerin|generalsekretär|generalsekretärin|secretary|general|könig|königin|king|queen|papst|pope|chef|chefin|ceo|sprecher|sprecherin|spokesman|spokeswoman|autor|author|trainer|coach|kapitän|captain|chefdiplomat|chefdiplomaten|sir|lord|saint|st|kaiser|emperor|gouverneur|governor|bürgermeister|mayor|senator|general|executive|vice|gewinner|gewinnerin|siegerin|preisträger|preisträgerin|nominierte|nominierter|champion|actor|actress|schauspieler|schauspielerin)$/;
/** German compound titles end in a person noun ("Oberbürgermeister", "Regierungssprecherin", "Museumsdirektorin"). */
const PERSON_TITLE_END = /.{3,}(bürgermeister|präsident|minister|kanzler|sekretär|direktor|leiter|sprecher|vorsitzende|trainer|chef|führer|intendant|rektor|ingenieur|manager)(in|s|en)?$/;
/** True for a person's title or role word, lower case ("präsident", "oberbürgermeister", "director", "gewinnerin"). */
export const isPersonTitle = (w: string) => PERSON_BEFORE.test(w) || PERSON_TITLE_END.test(w);
const PLACE_BEFORE = /^(in|nach|aus|bei|im|from|at|near|to|into|across|throughout|nahe|östlich|westlich|nördlich|südlich)$/;
/** Time nouns after "im"/"in" ("im Monat", "im Frühjahr"): a time, never a place. */
const TIME_NOUN = /^(sekunden?|minuten?|stunden?|tag|tage[ns]?|tages|wochen?|monat|monate[ns]?|monats|jahr|jahre[ns]?|jahres|jahrzehnte?n?|jahrhunderts?|jahrhunderten?|quartals?|frühjahr|frühling|sommer|herbst|winter|verlauf|laufe|zuge|anschluss|moment|augenblick|vorfeld|rahmen|namen|auftrag|gegensatz|vergleich|durchschnitt|schnitt|einsatz|betrieb|fall|falle|zeitraum)$/;
const PLACE_END = /(land|stan|burg|stadt|dorf|heim|hausen|ingen|furt|straße|strasse|platz|gasse|allee|ufer)$/;
/** Capitalised at a sentence start but never a name: pronouns, articles, conjunctions (EN, DE). */
const PRONOUN = /^(it|its|he|she|they|we|i|you|his|her|their|our|this|that|these|those|there|here|the|a|an|and|but|or|so|if|when|while|after|before|however|also|then|es|er|sie|wir|ich|du|ihr|man|dies|diese[rsmn]?|dort|hier|der|die|das|den|dem|des|ein|eine|einen|einem|einer|und|aber|oder|doch|denn|wenn|als|während|nachdem|bevor|jedoch|auch|dann|damit|danach|demnach|daher|deshalb)$/;
/** Verbs after which a capitalised two-word run is a person's full name (German word order: "leitet Peter Schulze"). */
const PERSON_CUE = /^(ist|war|wird|wurde|heißt|hieß|leitet|leitete|führt|führte|übernimmt|übernahm|übernehmen|sagte|sagt|erklärte|erklärt|betont|betonte|meint|meinte|sagten)$/;

/** Prepositions after which a two-word capitalised run without article is a person's name ("von John Elway", "by James Watt"). */
const NAME_LEAD = /^(von|mit|durch|für|gegen|bei|an|vor|nach|zu|und|oder|sowie|by|with|from|for|against|of|to|and|or)$/;

/** Lower-case words ending in -s after a figure that count nothing ("2019 was", "5 percent less"). */
const NOT_COUNTED = /^(was|has|is|its|this|thus|plus|less|across|always|perhaps|besides|sometimes|whereas|unless|yes|does|goes|makes|takes|gives|comes|seems|remains|becomes|includes|means|eines|jedes|alles|etwas|dies|bis|als|aus|das|des|uns|ins|los|seines|ihres|keines|deines|meines|unseres|vorbeis)$/;

/**
 * Tokens `i` and `i + 1` look like "given name + surname": both plain capitalised words (no
 * digits, hyphens or genitive -s on the first; see `givenS`), exactly one of them a dictionary
 * word, neither an organisation word, place ending, month or weekday.
 */
function twoWordNameAt(tokens: Token[], text: string, i: number, isCommon: IsCommonWord, givenS = false): boolean {
  const x = tokens[i];
  const y = tokens[i + 1];
  const plain = (t: Token) => /^[\p{Lu}][\p{Ll}]+$/u.test(text.slice(t.start, t.end));
  // A final -s on the first word is a genitive ("Mannings Problemen"), unless `givenS` lets a
  // dictionary word through ("James Hutton").
  if (!plain(x) || !plain(y) || (/s$/.test(x.norm) && !(givenS && isCommon(x.norm)))) return false;
  if ([x, y].some((t) => ORG_WORD.test(t.norm) || PLACE_END.test(t.norm) || MONTH.test(t.norm) || NOT_A_NAME.test(t.norm) || PRONOUN.test(t.norm))) return false;
  return isCommon(x.norm) !== isCommon(y.norm);
}

/** Capitalised words that open place and team names although they are dictionary words ("New England Patriots", "Bad Homburg"). */
const NAME_PREFIX = /^(new|neu|san|santa|santo|são|los|las|la|le|el|st|saint|sankt|fort|port|mount|lake|bad|rio|porto|puerto|cape|kap)$/;
/** Lower-case words allowed inside a name run ("Bank of England", "Ludwig van Beethoven"). */
const NAME_GLUE = new Set(['of', 'de', 'van', 'von', 'der', 'den', 'la', 'le', 'du', 'da', 'di', 'y', 'bin', 'al', 'and', '&']);

/** "pound"/"Pfund" is money or weight: the words around the figure decide. */
const POUND = /^(pound|pounds|pfund)$/;
const MONEY_CUE = /^(cost|costs|costing|price|priced|prices|paid|pay|pays|paying|worth|spend|spends|spent|budget|fee|fees|fare|fares|ticket|tickets|salary|sold|sell|sells|buy|bought|funding|funded|invest|invested|investment|sterling|kostet|kosten|kostete|kosteten|preis|preise|bezahlt|zahlen|zahlt|zahlte|wert|gebühr|gebühren|budget|ticket|verkauft|gekauft|investiert|millionen|million|millions|milliarden|billion|billions)$/;
const WEIGHT_CUE = /^(weigh|weighs|weighed|weighing|weight|heavy|heavier|wiegt|wiegen|wog|wogen|gewicht|schwer|schwere[nr]?)$/;
/**
 * Unit family of a "pound" figure from the words of its clause (six tokens before the figure, two
 * after the unit): a money cue ("costs", "price", "Millionen") makes it money, a weight cue
 * ("weighs", "schwer") or none keeps it a weight.
 */
function poundFamily(tokens: Token[], from: number, unitAt: number): NumberUnit {
  let money = false;
  for (let k = Math.max(0, from - 6); k <= Math.min(tokens.length - 1, unitAt + 2); k++) {
    if (WEIGHT_CUE.test(tokens[k].norm)) return 'weight';
    if (MONEY_CUE.test(tokens[k].norm)) money = true;
  }
  return money ? 'money' : 'weight';
}

function isDigitToken(t: Token): boolean {
  return /^\d/.test(t.norm);
}

/** Scale words written with a full stop ("Mio.", "Mrd.", "Tsd."). */
const ABBREVIATED_SCALE = /^(mio|mrd|tsd|bn|mn)$/;

/** Multiples: "das Zehnfache", "das Doppelte", "tenfold", "twice". */
const MULTIPLE = /^(\p{L}{3,}fache[nrs]?|doppelte[nrs]?|\p{L}{3,}fold|twice|thrice)$/u;
/** Possessive and genitive determiners that attach what a multiple is of ("das Zehnfache ihres Eigengewichts"). */
const OF_WHAT = /^(des|der|ihres|ihrer|seines|seiner|eines|einer|deren|dessen|its|their|his|her|the|of)$/;

function isNumberToken(t: Token): boolean {
  return isDigitToken(t) || NUMBER_WORD.test(t.norm);
}

/** True for a figure written in digits or as a number word ("308", "zwei", "twelve"); lower-case input. */
export function isFigureWord(norm: string): boolean {
  return /^\d/.test(norm) || NUMBER_WORD.test(norm);
}

function isYear(t: Token): boolean {
  return /^(1[0-9]|20)\d\d$/.test(t.norm) || /^\d{3,4}er$/.test(t.norm);
}

/** Weekday names (EN/DE): dates, never names or places ("Tuesday" is no answer to "where"). */
const WEEKDAY = /^(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?$/;
/**
 * Capitalised words that are never a name: weekdays and English nationality or language
 * adjectives ("the Danish company", "British engineers"; German writes these in lower case).
 */
const NOT_A_NAME =
  /^(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|danish|swedish|finnish|british|english|irish|scottish|welsh|spanish|polish|turkish|dutch|french|german|swiss|austrian|italian|russian|ukrainian|belarusian|norwegian|hungarian|romanian|bulgarian|croatian|serbian|czech|slovak|slovenian|greek|portuguese|chinese|japanese|korean|vietnamese|taiwanese|indian|pakistani|iranian|iraqi|israeli|syrian|saudi|egyptian|african|american|canadian|mexican|brazilian|argentinian|australian|european|asian|arab|arabic|latin)$/;

/** Words that lead a clock time or a span of hours ("um 8 Uhr", "zwischen 9 und 17 Uhr", "at 5 pm"). */
const CLOCK_LEAD = new Set(['um', 'gegen', 'von', 'zwischen', 'at', 'from', 'around', 'between', 'täglich', 'daily']);

function isClockNumber(t: Token): boolean {
  return /^(\d{1,2}|\d{1,2}[.:]\d{2})$/.test(t.norm);
}

/**
 * When token `i` starts a clock time — an hour (with minutes after "." or ":") followed by
 * "Uhr", "a.m./p.m.", "am/pm" or "o'clock" — the index of its last token, else null.
 */
function clockTimeEnd(text: string, tokens: Token[], i: number): number | null {
  if (!isClockNumber(tokens[i]) || (i > 0 && text.slice(tokens[i - 1].end, tokens[i].start) === ':')) return null;
  let j = i;
  if (j + 1 < tokens.length && /^\d{2}$/.test(tokens[j + 1].norm) && text.slice(tokens[j].end, tokens[j + 1].start) === ':') j++;
  const next = tokens[j + 1]?.norm;
  if (next === 'uhr' || next === 'am' || next === 'pm' || next === 'oclock') return j + 1;
  if ((next === 'a' || next === 'p') && tokens[j + 2]?.norm === 'm') return j + 2;
  if (next === 'o' && tokens[j + 2]?.norm === 'clock') return j + 2;
  return null;
}

/**
 * Last token of the day-and-month date right after a weekday and its comma ("Tuesday, 10 September
 * 2024", "Dienstag, dem 3. März 2025", "Tuesday, September 10"), or `i` when none follows.
 */
function weekdayDateEnd(text: string, tokens: Token[], i: number): number {
  if (!/^\s*,\s*$/.test(text.slice(tokens[i].end, tokens[i + 1]?.start ?? tokens[i].end))) return i;
  let j = i + 1;
  if (/^(dem|den|the)$/.test(tokens[j]?.norm ?? '')) j++;
  let end = -1;
  if (/^\d{1,2}$/.test(tokens[j]?.norm ?? '') && MONTH.test(tokens[j + 1]?.norm ?? '')) end = j + 1;
  else if (MONTH.test(tokens[j]?.norm ?? '') && /^\d{1,2}$/.test(tokens[j + 1]?.norm ?? '')) end = j + 1;
  if (end < 0) return i;
  if (tokens[end + 1] && /^(1\d|20)\d\d$/.test(tokens[end + 1].norm) && /^\s*,?\s*$/.test(text.slice(tokens[end].end, tokens[end + 1].start))) end++;
  return end;
}

/**
 * Find the candidates of one sentence.
 * @param text the sentence text; `tokens` are tokenize(text) (offsets into `text`).
 * @param isCommon tells dictionary words from names (German nouns are capitalised too); when null,
 *   only sentence-initial capitals are taken for common words.
 * @returns candidates in text order; a token may belong to several (a year is a number and a date).
 */
export function findCandidates(text: string, tokens: Token[], isCommon: IsCommonWord | null): Candidate[] {
  const out: Candidate[] = [];
  const gap = (i: number) => text.slice(tokens[i - 1].end, tokens[i].start);
  const joined = (i: number) => i > 0 && i < tokens.length && !/[,;:!?()"„“”«»]/.test(gap(i)) && !/\.\s/.test(gap(i));
  const push = (kind: CandidateKind, from: number, to: number, u: NumberUnit | null, flavour: Candidate['flavour'] = null) =>
    out.push({ kind, unit: u, flavour, from, to, start: tokens[from].start, end: tokens[to].end });

  let numberEnd = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    // Dates: [day.] month [year] | year | N. Jahrhundert | Nth century.
    if (MONTH.test(t.norm) && (t.capitalized || t.norm.length > 3)) {
      let from = i;
      let to = i;
      // "12 May", and the German ordinal day "12. Mai" (its full stop is no sentence end).
      if (i > 0 && /^\d{1,2}$/.test(tokens[i - 1].norm) && (joined(i) || /^\.\s?$/.test(gap(i)))) from = i - 1;
      if (i + 1 < tokens.length && joined(i + 1) && (isYear(tokens[i + 1]) || /^\d{1,2}$/.test(tokens[i + 1].norm))) to = i + 1;
      if (to + 1 < tokens.length && isYear(tokens[to + 1]) && /^\s*,?\s*$/.test(gap(to + 1))) to++;
      while (from > 0 && DATE_LEAD.has(tokens[from - 1].norm) && joined(from)) from--;
      if (from > 0 && DATE_LEAD.has(tokens[from].norm) === false && MODIFIER.has(tokens[from - 1].norm) && joined(from)) from--;
      push('date', from, to, null);
      continue;
    }
    // A season with its year: "Sommer 1521", "im Herbst 2019", "in the spring of 1848".
    if (SEASON.test(t.norm) && i + 1 < tokens.length) {
      const y = isYear(tokens[i + 1]) && joined(i + 1) ? i + 1 : tokens[i + 1].norm === 'of' && i + 2 < tokens.length && isYear(tokens[i + 2]) && joined(i + 2) ? i + 2 : -1;
      if (y > 0) {
        let from = i;
        while (from > 0 && (DATE_LEAD.has(tokens[from - 1].norm) || /^(the|dem|des)$/.test(tokens[from - 1].norm)) && joined(from)) from--;
        push('date', from, y, null);
      }
    }
    if (isYear(t)) {
      const next = tokens[i + 1];
      if (!next || !UNITS[next.norm] || !joined(i + 1)) {
        let from = i;
        while (from > 0 && DATE_LEAD.has(tokens[from - 1].norm) && joined(from)) from--;
        push('date', from, i, null);
        // A span of years is one date too: "zwischen 2005 und 2010", "von 1870 bis 1939", "from 1991 to 2000".
        const y2 = tokens[i + 2];
        if (y2 && isYear(y2) && /^(und|bis|and|to)$/.test(next?.norm ?? '') && joined(i + 1) && joined(i + 2)) {
          const lead = i > 0 && /^(zwischen|von|between|from)$/.test(tokens[i - 1].norm) && joined(i) ? i - 1 : i;
          push('date', lead, i + 2, null);
        }
      }
    }
    if (/^\d{1,2}$/.test(t.norm) && tokens[i + 1] && /^(jahrhunderts?|jh|century)$/.test(tokens[i + 1].norm)) {
      push('date', i, i + 1, null);
    }
    if (/^\d{1,2}(st|nd|rd|th)$/.test(t.norm) && tokens[i + 1]?.norm === 'century') push('date', i, i + 1, null);
    // Weekdays: "am Dienstag", "on Tuesday".
    if (WEEKDAY.test(t.norm) && t.capitalized) {
      let from = i;
      while (from > 0 && DATE_LEAD.has(tokens[from - 1].norm) && joined(from)) from--;
      push('date', from, i, null);
      // "on Tuesday, 10 September 2024", "am Dienstag, dem 3. März 2025": the date after the comma belongs to it.
      const end = weekdayDateEnd(text, tokens, i);
      if (end > i) push('date', from, end, null);
    }
    // Clock times are "when" answers too: "17 Uhr", "10:30 Uhr", "von 11 bis 17 Uhr", "5 p.m.".
    const clock = clockTimeEnd(text, tokens, i);
    if (clock !== null) {
      let from = i;
      // A range: "11 bis 17 Uhr", "9 to 5 pm" (the first time may carry minutes: "9:30 bis 17 Uhr").
      if (from >= 2 && LINK.has(tokens[from - 1].norm) && joined(from) && joined(from - 1) && isClockNumber(tokens[from - 2])) {
        from -= 2;
        if (from >= 1 && gap(from) === ':' && isClockNumber(tokens[from - 1])) from--;
      }
      while (from > 0 && (DATE_LEAD.has(tokens[from - 1].norm) || CLOCK_LEAD.has(tokens[from - 1].norm)) && joined(from)) from--;
      push('date', from, clock, null);
    }
    // Multiples are figures too: "das Zehnfache ihres Eigengewichts", "tenfold", "twice the size".
    if (MULTIPLE.test(t.norm) && i > numberEnd) {
      let to = i;
      if (to + 2 < tokens.length && OF_WHAT.test(tokens[to + 1].norm) && joined(to + 1) && joined(to + 2) && (tokens[to + 2].capitalized || tokens[to + 1].norm === 'of')) to += 2;
      push('number', i, to, 'any');
    }
    // Numbers with unit or counted noun (a number inside the previous number phrase, "35 bis 50", is no new one).
    if (isNumberToken(t) && i > numberEnd && !(NUMBER_WORD.test(t.norm) && /^(ein|eine|einen|one|beiden|both)$/.test(t.norm))) {
      let from = i;
      while (from > 0 && MODIFIER.has(tokens[from - 1].norm) && joined(from)) from--;
      let to = i;
      let u: NumberUnit | null = null;
      const signBefore = /[$€£¥]\s*$/.test(text.slice(Math.max(0, t.start - 2), t.start));
      if (signBefore) u = 'money';
      // "35 bis 50", "zwischen 3 und 5": a range is one phrase.
      while (to + 2 < tokens.length && LINK.has(tokens[to + 1].norm) && isNumberToken(tokens[to + 2]) && joined(to + 1) && joined(to + 2)) to += 2;
      while (to + 1 < tokens.length && joined(to + 1) && SCALE.test(tokens[to + 1].norm)) to++;
      const after = to + 1 < tokens.length ? text.slice(tokens[to].end, tokens[to + 1].start) : text.slice(tokens[to].end);
      if (/^\s?%/.test(after)) u = 'percent';
      else if (/^\s?[€$£¥]/.test(after)) u = 'money';
      else if (/^\s?°/.test(after)) u = 'temperature';
      const nxt = tokens[to + 1];
      // "30 Mio. GBP", "2 Mrd. Euro": the abbreviation's full stop is no sentence end.
      const abbreviated = to + 1 < tokens.length && /^\.\s?$/.test(gap(to + 1)) && ABBREVIATED_SCALE.test(tokens[to].norm);
      if (!u && nxt && (joined(to + 1) || abbreviated)) {
        const w = nxt.norm;
        if (w === 'km' && /^\/h/.test(text.slice(nxt.end))) {
          u = 'speed';
          to += 2;
        } else if ((w === 'square' || w === 'sq') && tokens[to + 2] && joined(to + 2) && UNITS[tokens[to + 2].norm] === 'distance') {
          // "5,500,000 square kilometres", "2,000 sq miles": an area.
          u = 'area';
          to += 2;
        } else if (UNITS[w]) {
          u = POUND.test(w) ? poundFamily(tokens, from, to + 1) : UNITS[w];
          to++;
          // "Kilometer pro Stunde", "miles per hour"
          if (u === 'distance' && tokens[to + 2] && PER.has(tokens[to + 1].norm) && /^(stunde|hour|h|sekunde|second)$/.test(tokens[to + 2].norm)) {
            u = 'speed';
            to += 2;
          }
        } else if (DURATION.test(w)) {
          push('duration', from, to + 1, null);
        } else if (!isYear(t) || nxt.capitalized || (/^[a-z]{3,}s$/.test(w) && !NOT_COUNTED.test(w))) {
          // A year-like figure before a plural noun counts it ("attended by 2000 guests").
          // What it counts: up to two words ("100 Drohnen", "6.000 vom Iran entworfene Drohnen").
          let k = to + 1;
          let steps = 0;
          while (k < tokens.length && steps < 4 && joined(k) && !isDigitToken(tokens[k])) {
            const afterPreposition = k > 0 && /^(vom|von|aus|nach|in|im|of|from)$/.test(tokens[k - 1].norm);
            const counted = tokens[k].capitalized && !afterPreposition && (!isCommon || isCommon(tokens[k].norm));
            // English plural nouns right after the figure ("48 turbines", "300 households").
            const plural = k === to + 1 && /^[a-z]{3,}s$/.test(tokens[k].norm) && !tokens[k].capitalized && !NOT_COUNTED.test(tokens[k].norm);
            if (counted || plural || /^(people|men|women|children|soldiers|troops|students|members|workers|units|copies|votes|points|games|drones|cars|ships|aircraft|planes|employees|jobs|species|items|houses|homes|buildings|times|mal)$/.test(tokens[k].norm)) {
              to = k;
              break;
            }
            k++;
            steps++;
          }
          if (to > i) u = 'count';
        }
      }
      // "45-megawatt", "10-kilometre": the unit is part of the number's token.
      const glued = /^\d[\d.,]*-(\p{L}+)$/u.exec(tokens[i].norm);
      if (!u && glued && UNITS[glued[1]]) u = UNITS[glued[1]];
      if (!u) u = 'any';
      // "… im Monat", "pro Jahr", "per month", "a year"
      if (to + 2 < tokens.length && PER.has(tokens[to + 1].norm) && DURATION.test(tokens[to + 2].norm) && joined(to + 1) && joined(to + 2)) to += 2;
      else if (to + 1 < tokens.length && /^(jährlich|monatlich|täglich|annually|daily|monthly|yearly)$/.test(tokens[to + 1].norm) && joined(to + 1)) to++;
      push('number', from, to, u);
      // "£38 million": the currency sign before the figure belongs to the answer.
      if (signBefore && from === i) {
        const c = out[out.length - 1];
        c.start = text.slice(0, t.start).search(/[$€£¥]\s*$/);
      }
      numberEnd = to;
    }
  }

  // Quoted titles: „…“, "…", “…”, «…» of at most 8 words.
  for (const m of text.matchAll(/[„“"«»]([^„“”"«»]{1,80})[“”"«»]/g)) {
    const s = (m.index ?? 0) + 1;
    const e = s + m[1].length;
    const from = tokens.findIndex((t) => t.start >= s);
    let to = -1;
    for (let k = from; k >= 0 && k < tokens.length && tokens[k].end <= e; k++) to = k;
    if (from < 0 || to < from || to - from > 7) continue;
    const before = from > 0 ? tokens[from - 1].norm : '';
    push('quoted', from, to, null, ORG_BEFORE.test(before) || /^(der|die|das|the)$/.test(before) ? 'organisation' : null);
  }

  // Capitalised name runs.
  const last = (k: number) => tokens[k].norm.split('-').pop() ?? '';
  const nameLike = (k: number): boolean => {
    const t = tokens[k];
    if (!t.capitalized || /\d/.test(t.norm) || PRONOUN.test(t.norm)) return false;
    if (isPersonTitle(last(k))) return false;
    if (/^[\p{Lu}-]{2,}$/u.test(text.slice(t.start, t.end))) return true; // acronym
    // The word after a middle initial is a surname even when it is a dictionary word ("William E. Simon").
    if (initialJoined(k)) return true;
    // A place-name prefix before another capitalised word ("New England", "San Diego", "Bad Homburg").
    if (NAME_PREFIX.test(t.norm) && k + 1 < tokens.length && tokens[k + 1].capitalized && joined(k + 1)) return true;
    const sentenceStart = k === 0 || /[.!?:]\s*$/.test(text.slice(tokens[k - 1].end, t.start));
    const common = isCommon ? isCommon(t.norm) : sentenceStart;
    if (!common) return true;
    // Place names are dictionary words too ("Russland", "Moskau"): the dictionary's place names
    // wherever they stand; else kept after a place preposition ("im Westen", "in Berggebieten";
    // not a time: "im Monat", "im Jahr", "im Sommer") or with a place-name ending.
    if (isPlaceName(isCommon, t.norm)) return true;
    return (k > 0 && PLACE_BEFORE.test(tokens[k - 1].norm) && !sentenceStart && !TIME_NOUN.test(t.norm)) || PLACE_END.test(t.norm);
  };
  // A middle initial inside a name ("William E. Simon", "T. T. Tsui"): one capital letter and its
  // dot, then a capitalised word; the dot is no sentence end there.
  const initialJoined = (k: number) =>
    k > 0 && k < tokens.length && tokens[k].capitalized && /^\.\s$/.test(gap(k)) && /^\p{Lu}$/u.test(text.slice(tokens[k - 1].start, tokens[k - 1].end));
  for (let i = 0; i < tokens.length; i++) {
    if (!tokens[i].capitalized || /\d/.test(tokens[i].norm) || MONTH.test(tokens[i].norm) || NOT_A_NAME.test(tokens[i].norm)) continue;
    let to = i;
    while (to + 1 < tokens.length && joined(to + 1) && tokens[to + 1].start < tokens[to].end) to++; // hyphen parts
    let legalAt = -1;
    while (to + 1 < tokens.length && (joined(to + 1) || initialJoined(to + 1))) {
      const n = tokens[to + 1];
      // A legal form ends the name, written in any case ("Nordwind Turbines plc", "Acme Inc.").
      const legal = legalFormEnd(text, tokens, to + 1, joined);
      if (legal >= 0) {
        legalAt = to + 1;
        to = legal;
        break;
      }
      if (n.start < tokens[to].end) to++;
      else if (isPersonTitle(last(to))) break;
      else if (n.capitalized && !MONTH.test(n.norm) && !NOT_A_NAME.test(n.norm) && !/\d/.test(n.norm)) to++;
      else if (NAME_GLUE.has(n.norm) && tokens[to + 2]?.capitalized && joined(to + 2) && nameLike(to + 2)) to += 2;
      else break;
    }
    // Trim common words at the edges ("Drohnenhersteller Xi'an Bingo" → "Xi'an Bingo").
    let a = i;
    let b = to;
    // An organisation compound keeps the name it heads ("Stadtwerke Halle").
    let head = -1;
    for (let k = i; k <= to && head < 0 && isCommon !== null; k++) if (isOrganisationCompound(tokens[k].norm, k < to && tokens[k + 1].capitalized)) head = k;
    const orgHead = head >= 0;
    while (a <= b && (!nameLike(a) || (a > i && tokens[a].start < tokens[a - 1].end))) a++;
    while (b >= a && !nameLike(b) && !ORG_WORD.test(tokens[b].norm)) b--;
    if (orgHead && (a > head || a > b)) {
      a = head;
      b = to;
    }
    // The word before a legal form names the company even when it is a dictionary word
    // ("Die Firma Energiprojekt AB", "Nordwind Turbines plc"), unless it only says what it is ("Firma").
    const named = legalAt - 1;
    if (legalAt > i && a > named && tokens[named].capitalized && !PRONOUN.test(tokens[named].norm) && !ORG_BEFORE.test(tokens[named].norm) && !introducesOrganisation(tokens[named].norm)) {
      a = named;
      b = to;
    }
    // After a title ("Oberbürgermeister Ulf Kämpfer"), a given name that is no dictionary word
    // keeps the capitalised word after it as the surname: German surnames are often nouns.
    if (isCommon && a === b && a > 0 && isPersonTitle(last(a - 1)) && b + 1 <= to && !isCommon(tokens[b].norm) && tokens[b + 1].start >= tokens[b].end) b++;
    // After a title, a two-word run is a given name and surname even when both are dictionary
    // words ("Bezirksleiter Daniel Friedrich", "Vorstandschef Lars Eriksen"): the title names a person.
    const titled = isCommon !== null && to === i + 1 && i > 0 && isPersonTitle(last(i - 1)) && joined(i) && tokens[to].start >= tokens[i].end;
    if (titled) {
      a = i;
      b = to;
    }
    // After a verb that introduces a person ("Leiterin ist Sabine Krause", "leitet Peter Schulze"),
    // a two-word run of one dictionary word and one name is a full name, whichever is the noun.
    // So is one with no article or title before it, at a sentence start or after a preposition
    // ("James Hutton wird …", "der Rekord von John Elway"): a German noun there would need an
    // article ("von der Stadt Kiel"), a given name does not (tuning part, typed rows).
    const bare = i === 0 || /[.!?:;,]\s*$/.test(gap(i)) || (PERSON_CUE.test(tokens[i - 1].norm) && joined(i)) || (NAME_LEAD.test(tokens[i - 1].norm) && joined(i));
    // A capitalised preposition opening the sentence ("Vor Manning …", "Im Hinduismus") is no given name.
    const lead = tokens[i].norm;
    if (isCommon && to === i + 1 && bare && !NAME_LEAD.test(lead) && !PLACE_BEFORE.test(lead) && !DATE_LEAD.has(lead) && twoWordNameAt(tokens, text, i, isCommon, true)) {
      a = i;
      b = to;
    }
    // A prefix left alone ("New", "Los") once the words after it were trimmed is no name.
    while (b >= a && NAME_PREFIX.test(tokens[b].norm)) b--;
    if (a <= b) {
      const before = a > 0 ? last(a - 1) : '';
      const run = tokens.slice(a, b + 1);
      const acronym = run.length === 1 && /^[\p{Lu}-]{2,}$/u.test(text.slice(run[0].start, run[0].end));
      let flavour: Candidate['flavour'] = null;
      // A run of dictionary words kept as a name came in through the place rules.
      const dictionaryPlace = !titled && isCommon !== null && run.every((t) => isCommon(t.norm));
      if (orgHead || isStrongOrganisation(text, tokens, a, b)) flavour = 'organisation';
      else if (dictionaryPlace) flavour = 'place';
      else if (acronym || run.some((t) => ORG_WORD.test(t.norm)) || ORG_BEFORE.test(before) || introducesOrganisation(before) || /(?:^|-)(ag|gmbh|inc)$/.test(run[run.length - 1].norm)) flavour = 'organisation';
      else if (isPersonTitle(before) || (run.length >= 2 && run.length <= 4 && !run.some((t) => /^[\p{Lu}]{2,}$/u.test(text.slice(t.start, t.end))))) flavour = 'person';
      // "am Steintor": a name that is no dictionary word after "am" is a place too (a dictionary
      // word after it is no name at all: "am Turbinengehäuse").
      else if (PLACE_BEFORE.test(before) || before === 'am') flavour = 'place';
      // "an der Förde", "in der Ukraine", "at the Thames": a place preposition and an article before a one-word name.
      else if (run.length === 1 && a > 1 && /^(der|die|das|dem|den|the)$/.test(tokens[a - 1].norm) && (PLACE_BEFORE.test(tokens[a - 2].norm) || /^(an|auf|on)$/.test(tokens[a - 2].norm)) && joined(a - 1) && joined(a)) flavour = 'place';
      push('name', a, b, null, flavour);
    }
    i = to;
  }
  // Bodies named by a common noun ("the local council", "der Stadtrat"): organisations too.
  for (const b of findBodies(tokens)) {
    if (!out.some((c) => c.kind === 'name' && c.from === b.from && c.to === b.to)) push('body', b.from, b.to, null, 'organisation');
  }
  return out.sort((x, y) => x.start - y.start || y.end - x.end);
}
