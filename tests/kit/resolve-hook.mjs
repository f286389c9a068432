// Module resolve hook (node:module register): prints each resolved package URL to stderr, so a
// test can see which dependencies an import pulls in.
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/node_modules/')) process.stderr.write(`RESOLVED ${r.url}\n`);
  return r;
}
