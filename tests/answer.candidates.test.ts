import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../src/answer/question.js';
import { findCandidates } from '../src/answer/candidates.js';
import { typeFit } from '../src/answer/rank.js';
import { tokenize } from '../src/text/tokenize.js';

/** Candidate texts of one kind in a sentence. */
function found(text: string, kind: string, common: string[] = []): string[] {
  const set = new Set(common);
  return findCandidates(text, tokenize(text), (w) => set.has(w))
    .filter((c) => c.kind === kind)
    .map((c) => text.slice(c.start, c.end));
}

describe('question analysis (EN and DE)', () => {
  it.each([
    ['Who founded the company?', 'person', null],
    ['Wer hat das Unternehmen gegründet?', 'person', null],
    ['Which newspaper reported it first?', 'organisation', null],
    ['Welches Magazin berichtete darüber?', 'organisation', null],
    ['In which country was he born?', 'place', null],
    ['Wo wurde er geboren?', 'place', null],
    ['When did the war end?', 'date', null],
    ['In welchem Jahr endete der Krieg?', 'date', null],
    ['How many people live there?', 'number', 'count'],
    ['Wie viele Menschen leben dort?', 'number', 'count'],
    ['How much does the new rail line cost?', 'number', 'money'],
    ['Was kostet die neue Bahnstrecke?', 'number', 'money'],
    ['How fast can it fly?', 'number', 'speed'],
    ['Wie schwer ist die Ladung?', 'number', 'weight'],
    ['How far is the harbour from the city?', 'number', 'distance'],
    ['How long did the construction take?', 'duration', null],
    ['How long is the new quay wall?', 'number', 'distance'],
    ['Wie lange dauerte der Bau?', 'duration', null],
    ['Is the bridge open?', 'yesno', null],
    ['What is the capital of France?', 'other', null],
  ])('%s → %s', (q, type, unit) => {
    const a = analyzeQuestion(q);
    expect(a.type).toBe(type);
    if (unit) expect(a.unit).toBe(unit);
  });

  it('keeps the question language for the "not stated" text', () => {
    expect(analyzeQuestion('Wie schnell ist die Drohne?').language).toBe('de');
    expect(analyzeQuestion('How fast is the drone?').language).toBe('en');
  });
});

describe('candidates keep their unit (English and German text)', () => {
  it.each([
    ['The harbour expansion will cost 240 million euros in total.', '240 million euros', 'money'],
    ['The new pier is 50 metres long.', '50 metres', 'distance'],
    ['Die Strecke kostet 6,7 Milliarden Euro.', '6,7 Milliarden Euro', 'money'],
    ['Der Zug fährt bis zu 300 km/h schnell.', 'bis zu 300 km/h', 'speed'],
    ['Die Drohne trägt 35 bis 50 Kilogramm.', '35 bis 50 Kilogramm', 'weight'],
    ['Turnout was 61 % this year.', '61', 'percent'],
    ['The trains run at 120 miles per hour.', '120 miles per hour', 'speed'],
  ])('%s', (text, phrase, unit) => {
    const c = findCandidates(text, tokenize(text), null).find((x) => x.kind === 'number' && text.slice(x.start, x.end).includes(phrase));
    expect(c, phrase).toBeDefined();
    expect(c!.unit).toBe(unit);
    expect(text.slice(c!.start, c!.end)).toContain(phrase);
  });

  it('a count takes the noun it counts, skipping a name in between', () => {
    const text = 'In dieser sollen mindestens 6.000 vom Iran entworfene Drohnen hergestellt werden.';
    expect(found(text, 'number', ['drohnen', 'entworfene'])).toContain('mindestens 6.000 vom Iran entworfene Drohnen');
  });

  it('dates: month with preposition, day-month-year, bare years', () => {
    expect(found('Sie sollen bis April geliefert werden.', 'date')).toContain('bis April');
    expect(found('The line opened on 3 March 2011.', 'date')).toContain('on 3 March 2011');
    expect(found('Der Bau begann 1998.', 'date')).toEqual(['1998']);
  });

  it('dates: the German ordinal day belongs to its month, a season to its year', () => {
    expect(found('Der Vertrag wurde am 12. Mai 1705 unterzeichnet.', 'date')).toContain('am 12. Mai 1705');
    expect(found('Im Sommer 1521 kehrte er zurück.', 'date')).toContain('Im Sommer 1521');
    expect(found('It was founded in the spring of 1848.', 'date')).toContain('in the spring of 1848');
    // A season without a year is no date candidate; a figure ending the previous sentence is no day.
    expect(found('Im Sommer ist es warm.', 'date')).toEqual([]);
    expect(found('Er kam auf Platz 3. Im Mai begann die Saison.', 'date')).toEqual(['Im Mai']);
  });

  it('name runs: dictionary nouns are trimmed, codes with digits are no names, titles mark persons', () => {
    const text = 'Nach Einschätzung von NATO-Generalsekretär Jens Stoltenberg erwägt der Drohnenhersteller Xi\'an Bingo den Bau der ZT-180.';
    const names = findCandidates(text, tokenize(text), (w) => ['einschätzung', 'drohnenhersteller', 'bau', 'nach'].includes(w));
    const shown = names.filter((c) => c.kind === 'name').map((c) => [text.slice(c.start, c.end), c.flavour]);
    expect(shown).toContainEqual(['Jens Stoltenberg', 'person']);
    expect(shown).toContainEqual(["Xi'an Bingo", 'organisation']);
    expect(shown.some(([t]) => String(t).includes('ZT-180'))).toBe(false);
  });

  it('name runs: a middle initial does not cut the name, the surname after it is kept even as a dictionary word', () => {
    expect(found('Im Jahr 1973 ernannte der Präsident William E. Simon zum Direktor.', 'name', ['jahr', 'simon', 'direktor'])).toContain('William E. Simon');
    expect(found('Er traf John F. Kennedy in Berlin.', 'name')).toContain('John F. Kennedy');
    // A capital letter ending a sentence is no initial of the next sentence's first word.
    expect(found('Er wählte Plan B. Danach ging er.', 'name')).toEqual(['Plan B']);
  });

  it('name runs: a place-name prefix that is a dictionary word stays ("New England Patriots"), alone it is no name', () => {
    expect(found('Im Finale schlugen sie die New England Patriots.', 'name', ['new', 'finale'])).toContain('New England Patriots');
    expect(found('Das Team aus San Diego gewann.', 'name', ['san', 'team'])).toContain('San Diego');
    expect(found('Der Stil heißt New Wave.', 'name', ['new', 'wave', 'stil'])).toEqual([]);
  });

  it('quoted titles are candidates', () => {
    expect(found('Das berichtet der "Spiegel" am Montag.', 'quoted')).toEqual(['Spiegel']);
  });

  it('is linear: a long sentence of numbers and capitals is handled quickly and completely', () => {
    const text = 'Alpha Beta 12 Kilogramm, '.repeat(4000);
    const c = findCandidates(text, tokenize(text), null);
    expect(c.filter((x) => x.kind === 'number').length).toBe(4000);
  });
});

describe('clock times answer "when"', () => {
  it('hours with Uhr, minutes, ranges and English a.m./pm are date candidates with their lead word', () => {
    expect(found('Die Stadtbibliothek öffnet sonntags von 11 bis 17 Uhr.', 'date')).toEqual(['von 11 bis 17 Uhr']);
    expect(found('Der Zug fährt um 10:30 Uhr ab.', 'date')).toEqual(['um 10:30 Uhr']);
    expect(found('Geöffnet von 9:30 bis 17 Uhr.', 'date')).toEqual(['von 9:30 bis 17 Uhr']);
    expect(found('The shop opens at 9 a.m. and closes at 5 pm.', 'date')).toEqual(['at 9 a.m', 'at 5 pm']);
    expect(found('Es kamen 17 Besucher.', 'date')).toEqual([]);
  });
});

describe('weekdays and nationality adjectives are no names', () => {
  it('"on Tuesday"/"am Dienstag" are dates; "Danish" is not an organisation, the company after it is', () => {
    const t = 'The council approved the plan on Tuesday, and the Danish company Vestergaard Energi will install the panels.';
    expect(found(t, 'date')).toEqual(['on Tuesday']);
    expect(found(t, 'name')).toEqual(['Vestergaard Energi']);
    expect(found('Am Dienstag stellte der Bürgermeister den Plan vor.', 'date')).toEqual(['Am Dienstag']);
    expect(found('British engineers and Chinese firms met in Leeds.', 'name')).toEqual(['Leeds']);
  });
});

describe('power and currency signs', () => {
  it('"45-megawatt", "45 Megawatt", "12 MW" are power; "£38 million" keeps its sign', () => {
    const t = 'The 45-megawatt farm will cost £38 million.';
    const units = (x: string) => findCandidates(x, tokenize(x), null).filter((c) => c.kind === 'number').map((c) => [x.slice(c.start, c.end), c.unit]);
    expect(units(t)).toEqual([['45-megawatt', 'power'], ['£38 million', 'money']]);
    expect(units('Der Park hat eine Leistung von 45 Megawatt.')).toEqual([['45 Megawatt', 'power']]);
    expect(analyzeQuestion('Wie hoch ist die Leistung des Solarparks?')).toMatchObject({ type: 'number', unit: 'power' });
    expect(analyzeQuestion('How powerful is the solar farm?')).toMatchObject({ type: 'number', unit: 'power' });
    expect(analyzeQuestion('Wie hoch ist der Turm?')).toMatchObject({ type: 'number', unit: 'distance' });
  });
});

describe('English unit phrases and year-like counts', () => {
  const only = (text: string) => findCandidates(text, tokenize(text), null).filter((c) => c.kind === 'number').map((c) => [text.slice(c.start, c.end), c.unit]);
  it('"square kilometres" is an area, "gigatons" a weight', () => {
    expect(only('The basin covers 7,000,000 square kilometres of land.')).toContainEqual(['7,000,000 square kilometres', 'area']);
    expect(only('The forest absorbs 1.5 gigatons of carbon dioxide.')).toContainEqual(['1.5 gigatons', 'weight']);
  });
  it('a year-like figure before a plural noun is a count ("2000 guests"), a year before a verb is not', () => {
    expect(only('The dinner was attended by 2000 guests.')).toContainEqual(['2000 guests', 'count']);
    expect(only('In 2000 was the market opened.').some(([, u]) => u === 'count')).toBe(false);
  });
});

describe('figures the finder missed (tuning-part false abstentions)', () => {
  it('an abbreviated scale keeps its unit: "30 Mio. GBP", "2 Mrd. Euro" are money', () => {
    for (const [text, phrase] of [
      ['Die Gebühren betragen 30 Mio. GBP für die Kanäle.', '30 Mio. GBP'],
      ['Das kostet 2 Mrd. Euro.', '2 Mrd. Euro'],
    ]) {
      const c = findCandidates(text, tokenize(text), null).find((x) => x.kind === 'number');
      expect(c && text.slice(c.start, c.end)).toBe(phrase);
      expect(c?.unit).toBe('money');
    }
  });

  it('multiples are figures, with what they are of: "das Zehnfache ihres Eigengewichts", "tenfold", "twice"', () => {
    expect(found('Sie fressen täglich das Zehnfache ihres Eigengewichts.', 'number')).toEqual(['Zehnfache ihres Eigengewichts']);
    expect(found('Output grew tenfold, twice as fast as planned.', 'number')).toEqual(['tenfold', 'twice']);
  });

  it('a span of two years answers "how long" / "wie lange"', () => {
    const text = 'Das Sommertheater war von 1870 bis 1939 in Betrieb.';
    const tokens = tokenize(text);
    const range = findCandidates(text, tokens, null).find((x) => x.kind === 'number' && text.slice(x.start, x.end) === '1870 bis 1939')!;
    expect(range).toBeDefined();
    expect(typeFit(analyzeQuestion('Wie lange war das Sommertheater in Betrieb?'), range, tokens)).toBe(1);
    expect(typeFit(analyzeQuestion('How long was the Summer Theatre in operation?'), range, tokens)).toBe(1);
    expect(typeFit(analyzeQuestion('Wie viele Theater gab es?'), range, tokens)).toBeLessThan(1);
  });
});

describe('person names around titles and given names that are dictionary words', () => {
  const common = ['john', 'james', 'vor', 'rekord', 'alter', 'kolonie', 'geologe', 'oscar', 'stadt'];
  it('a two-word run with no article before it keeps a given name the dictionary knows', () => {
    expect(found('Vor Manning wurde der Rekord von John Elway gehalten.', 'name', common)).toEqual(['Manning', 'John Elway']);
    expect(found('James Hutton wird oft als der erste moderne Geologe angesehen.', 'name', common)).toEqual(['James Hutton']);
  });
  it('an article before the dictionary word keeps it out of the name', () => {
    expect(found('Sie zogen in die Kolonie Virginia.', 'name', common)).toEqual(['Virginia']);
  });
  it('an award-holder noun before a name is a title, no part of the name', () => {
    expect(found('Die Oscar-Gewinnerin Marlee Matlin übersetzte.', 'name', common)).toEqual(['Marlee Matlin']);
  });
});

describe('name candidates in a role (src/answer/name-role.ts)', () => {
  /** Name candidates of `text` that nameInRole rejects for `question`; `asked` count as matched. */
  async function inRole(question: string, text: string, asked: string[]): Promise<string[]> {
    const { nameInRole } = await import('../src/answer/name-role.js');
    const qa = analyzeQuestion(question);
    const tokens = tokenize(text);
    const matched = tokens.map((t) => asked.includes(t.norm));
    return findCandidates(text, tokens, () => false)
      .filter((c) => c.kind === 'name' && nameInRole(qa, c, text, tokens, matched))
      .map((c) => text.slice(c.start, c.end));
  }
  it('an acronym in parentheses after matched words abbreviates them', async () => {
    expect(await inRole('Who did the sign language?', 'Marlee Matlin übersetzte in die Gebärdensprache (ASL).', ['gebärdensprache'])).toEqual(['ASL']);
    // Not matched before it: the acronym may be the answer.
    expect(await inRole('Which union?', 'Sie sind Mitglied der Gewerkschaft (NUT).', [])).toEqual([]);
    // An organisation question may be answered by the acronym of the party it glosses.
    expect(await inRole('What party is strongest there?', 'Die Australian Labour Party (ALP) ist dort stark.', ['party'])).toEqual([]);
  });
  it('for a person question, a name before a title or headed by one is no person', async () => {
    const text = 'Er ist derzeit Denvers Executive Vice President of Football Operations und Apple CEO Tim Cook.';
    expect(await inRole('Who is the general manager?', text, [])).toEqual(['Denvers', 'Football Operations', 'Apple']);
    // An organisation question may well be answered by them.
    expect(await inRole('Which company is it?', text, [])).toEqual([]);
  });
});

describe('spans of years', () => {
  it('"zwischen 2005 und 2010", "von 1870 bis 1939" and "from 1991 to 2000" are one date each, beside their years', () => {
    expect(found('Die Angriffe erreichten zwischen 2005 und 2010 ein Allzeithoch.', 'date')).toEqual(['zwischen 2005 und 2010', '2005', '2010']);
    expect(found('Das Theater war von 1870 bis 1939 in Betrieb.', 'date')).toContain('von 1870 bis 1939');
    expect(found('The exchange was housed there from 1991 to 2000.', 'date')).toContain('from 1991 to 2000');
    // A year and a count are no span.
    expect(found('Im Jahr 2005 und 12 Monate später.', 'date')).not.toContain('2005 und 12');
  });
});

describe('"how many seconds" wants a duration in that unit', () => {
  it('a duration in the asked time unit fits fully, a count of other things does not', async () => {
    const { typeFit } = await import('../src/answer/rank.js');
    const text = 'Sie erzielten 11 Punkte, und nur 17 Sekunden blieben.';
    const tokens = tokenize(text);
    const qa = analyzeQuestion('How many seconds were left?');
    const fit = (kind: string) => typeFit(qa, findCandidates(text, tokens, null).find((c) => c.kind === kind)!, tokens);
    expect(fit('duration')).toBe(1);
    expect(fit('number')).toBeLessThan(1);
  });
});

describe('legal forms keep the name before them', () => {
  it('"Die Firma Energiprojekt AB": the dictionary word before the legal form is the name, "Firma" is not', () => {
    expect(found('Die Firma Energiprojekt AB in Schweden hat Fortschritte gemacht.', 'name', ['energiprojekt', 'firma', 'fortschritte'])).toContain('Energiprojekt AB');
  });
});

describe('cost questions in the German past tense', () => {
  it.each(['Wie viel kostete der Windpark?', 'Wie viel hat der Bau gekostet?', 'Wie viel kosteten die Drohnen?'])('%s asks for money', (q) => {
    const a = analyzeQuestion(q);
    expect(a.type).toBe('number');
    expect(a.unit).toBe('money');
  });
});
