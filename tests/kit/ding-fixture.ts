/** A few lines of the Ding dictionary's format (drones, factories, months, cakes) for index tests. */
export const DING_FIXTURE =
  'herstellen; produzieren; fertigen {vt} | herstellend | hergestellt :: to produce sth.; to manufacture sth. | producing | produced\n' +
  'Drohne {f} | Drohnen {pl} :: drone | drones\n' +
  'Kuchen {m} | Kuchen {pl} :: cake | cakes\n' +
  'backen {vt} :: to bake\n' +
  'Monat {m} | Monate {pl} :: month | months\n' +
  'Werk {n}; Fabrik {f} :: plant; factory\n' +
  'Fabrik {f} | Fabriken {pl} :: factory | factories\n';
