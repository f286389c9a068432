/**
 * The built-in evaluation sample, used by `npm run eval` and `scripts/calibrate.ts` when the
 * public data (../shared/data) is absent: the bundled seed report plus three short generated
 * "articles" written for this project, each in German and English (parallel, like XQuAD), with
 * English and German questions whose answers are verbatim spans of both versions, and a few
 * generated German distractor texts. Small by design: it shows that the pipeline runs and what the
 * report looks like; its figures have wide intervals and are no quality claim.
 *
 * The English text of the seed paragraphs is this project's own translation.
 */

export interface SampleQa {
  en: string;
  de: string;
  /** Verbatim answer span of the German paragraph. */
  answerDe: string;
  /** Verbatim answer span of the English paragraph. */
  answerEn: string;
}
export interface SampleArticle {
  title: string;
  paragraphs: { de: string; en: string; qas: SampleQa[] }[];
}

export const SAMPLE_ARTICLES: SampleArticle[] = [
  {
    title: 'Seed report: ZT-180 drones',
    paragraphs: [
      {
        de: 'Bei seinem Besuch im Kreml spricht der chinesischen Chefdiplomaten Wang Yi davon, die Kooperation mit Russland zu vertiefen. Nach Einschätzung von NATO-Generalsekretär Jens Stoltenberg erwägt Peking Waffenlieferungen nach Russland. Bisher seien zwar keine derartigen Lieferungen beobachtet worden, aber es gebe Anzeichen, dass China dies erwäge, sagt Stoltenberg.',
        en: "During his visit to the Kremlin, China's chief diplomat Wang Yi speaks of deepening the cooperation with Russia. In the view of NATO Secretary General Jens Stoltenberg, Beijing is considering arms deliveries to Russia. No such deliveries have been observed so far, but there are signs that China is considering it, Stoltenberg says.",
        qas: [
          { en: 'Who thinks that Beijing is considering arms deliveries?', de: 'Wer glaubt, dass Peking Waffenlieferungen erwägt?', answerDe: 'Jens Stoltenberg', answerEn: 'Jens Stoltenberg' },
        ],
      },
      {
        de: 'Laut "Spiegel"-Informationen sind die beiden Länder aber bereits so weit, dass die russischen Streitkräfte und der chinesische Drohnenhersteller Xi\'an Bingo Intelligent Aviation Technology über die Massenproduktion von Kamikazedrohnen für Russland verhandeln. Demnach soll sich das Unternehmen bereit erklärt haben, 100 Drohnen des Prototyps ZT-180 herzustellen, sie vorher zu testen und dann bis April dem russischen Verteidigungsministerium zu liefern.',
        en: "According to information from \"Spiegel\", the two countries are already so far along that the Russian armed forces and the Chinese drone maker Xi'an Bingo Intelligent Aviation Technology are negotiating the mass production of kamikaze drones for Russia. The company is said to have agreed to build 100 drones of the ZT-180 prototype, to test them first and then to deliver them to the Russian defence ministry by April.",
        qas: [
          { en: 'By which month should the prototype drones be delivered?', de: 'Bis zu welchem Monat sollen die Prototypen geliefert werden?', answerDe: 'April', answerEn: 'April' },
          { en: 'Which company negotiates the mass production of kamikaze drones?', de: 'Welches Unternehmen verhandelt über die Massenproduktion von Kamikazedrohnen?', answerDe: "Xi'an Bingo Intelligent Aviation Technology", answerEn: "Xi'an Bingo Intelligent Aviation Technology" },
        ],
      },
      {
        de: 'Wie das Magazin weiter berichtet, soll laut Militärexperten jede ZT-180 einen Sprengkopf von 35 bis 50 Kilogramm tragen können. Sie dürfte ein ähnliches Design wie die iranische Kamikaze-Drohne Shahed-136 haben, heißt es weiter.',
        en: 'The magazine further reports that, according to military experts, each ZT-180 can carry a warhead of 35 to 50 kilograms. It probably has a design similar to the Iranian kamikaze drone Shahed-136, the report says.',
        qas: [
          { en: 'How heavy a warhead can each ZT-180 carry?', de: 'Wie schwer ist der Sprengkopf, den jede ZT-180 tragen kann?', answerDe: '35 bis 50 Kilogramm', answerEn: '35 to 50 kilograms' },
        ],
      },
      {
        de: 'Danach soll Xi\'an Bingo planen, Russland mit Know-how und Komponenten zu versorgen, sodass dort eine Produktion aufgebaut werden kann, mit einer geplanten Kapazität von rund 100 Drohnen im Monat, schreibt der "Spiegel".',
        en: 'Xi\'an Bingo then plans to supply Russia with know-how and components so that a production line can be set up there, with a planned capacity of around 100 drones a month, "Spiegel" writes.',
        qas: [
          { en: 'What monthly capacity is planned for the production in Russia?', de: 'Welche monatliche Kapazität ist für die Produktion in Russland geplant?', answerDe: 'rund 100 Drohnen im Monat', answerEn: 'around 100 drones a month' },
        ],
      },
    ],
  },
  {
    title: 'Harbour of Kiel (generated)',
    paragraphs: [
      {
        de: 'Die Stadt Kiel will ihren Hafen für größere Fähren ausbauen. Der Bau des neuen Terminals soll im März 2027 beginnen und rund 180 Millionen Euro kosten. Den größten Teil der Kosten trägt das Land Schleswig-Holstein.',
        en: 'The city of Kiel wants to expand its harbour for larger ferries. Construction of the new terminal is to start in March 2027 and to cost around 180 million euros. The state of Schleswig-Holstein bears most of the cost.',
        qas: [
          { en: 'When does construction of the new terminal start?', de: 'Wann beginnt der Bau des neuen Terminals?', answerDe: 'März 2027', answerEn: 'March 2027' },
          { en: 'How much will the new terminal cost?', de: 'Wie viel soll das neue Terminal kosten?', answerDe: '180 Millionen Euro', answerEn: '180 million euros' },
        ],
      },
      {
        de: 'Umweltverbände kritisieren die Pläne, weil für das Terminal eine Salzwiese aufgeschüttet werden müsste. Die Hafengesellschaft verspricht als Ausgleich eine neue Schutzfläche bei Laboe.',
        en: 'Environmental groups criticise the plans because a salt marsh would have to be filled in for the terminal. As compensation the harbour company promises a new protected area near Laboe.',
        qas: [
          { en: 'Where will the new protected area be?', de: 'Wo soll die neue Schutzfläche entstehen?', answerDe: 'Laboe', answerEn: 'Laboe' },
        ],
      },
    ],
  },
  {
    title: 'Solar farm Leipzig (generated)',
    paragraphs: [
      {
        de: 'Südlich von Leipzig ist ein Solarpark auf einer ehemaligen Braunkohlefläche in Betrieb gegangen. Die Anlage hat eine Leistung von 62 Megawatt und soll jährlich Strom für etwa 18.000 Haushalte liefern.',
        en: 'South of Leipzig, a solar farm on a former lignite mining site has started operating. The plant has a capacity of 62 megawatts and is expected to supply electricity for about 18,000 households a year.',
        qas: [
          { en: 'What is the capacity of the solar farm?', de: 'Welche Leistung hat der Solarpark?', answerDe: '62 Megawatt', answerEn: '62 megawatts' },
        ],
      },
      {
        de: 'Betrieben wird der Park von den Stadtwerken Leipzig. Zwischen den Modulreihen weiden Schafe, die das Gras kurz halten.',
        en: 'The farm is run by the Leipzig municipal utility. Sheep graze between the rows of modules and keep the grass short.',
        qas: [
          { en: 'Who operates the solar farm?', de: 'Wer betreibt den Solarpark?', answerDe: 'Stadtwerken Leipzig', answerEn: 'Leipzig municipal utility' },
          { en: 'Why do sheep graze between the modules?', de: 'Warum weiden Schafe zwischen den Modulen?', answerDe: 'die das Gras kurz halten', answerEn: 'keep the grass short' },
        ],
      },
    ],
  },
  {
    title: 'City library (generated)',
    paragraphs: [
      {
        de: 'Die neue Stadtbibliothek in Augsburg öffnet künftig auch sonntags. Sie besitzt rund 250.000 Medien, darunter eine große Sammlung historischer Landkarten.',
        en: 'The new city library in Augsburg will now also open on Sundays. It holds around 250,000 items, among them a large collection of historical maps.',
        qas: [
          { en: 'How many items does the library hold?', de: 'Wie viele Medien besitzt die Bibliothek?', answerDe: 'rund 250.000 Medien', answerEn: 'around 250,000 items' },
          { en: 'Which collection does the library have?', de: 'Welche Sammlung hat die Bibliothek?', answerDe: 'historischer Landkarten', answerEn: 'historical maps' },
        ],
      },
    ],
  },
];

/** Generated German distractor texts (no answer to any sample question). */
export const SAMPLE_DISTRACTORS: string[] = [
  'Der Stadtrat von Graz hat neue Regeln für Parkplätze beschlossen. Ab dem Sommer kostet eine Stunde in der Innenstadt zwei Euro.',
  'Die Handballmannschaft aus Flensburg gewann das Spiel am Samstag knapp mit 28 zu 27 Toren. Der Trainer lobte die Abwehr.',
  'Ein Museum in Wien zeigt eine Ausstellung über Uhren aus drei Jahrhunderten. Die Schau läuft bis Ende Oktober.',
  'Die Bahn kündigt für das Wochenende Bauarbeiten zwischen Hamburg und Bremen an. Fahrgäste müssen mit Verspätungen rechnen.',
];
