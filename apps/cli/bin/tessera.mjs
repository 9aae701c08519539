#!/usr/bin/env node
// The installed `tessera` command. It lives outside dist/ so npm can link it at install
// time, before anything is built; the program itself is dist/bin.js (`npm run build`).
try {
  await import('../dist/bin.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/bin.js')) {
    console.error(
      'error: tessera is not built yet: run `npm run build` in the Tessera folder first',
    );
    process.exit(2);
  }
  throw err;
}
