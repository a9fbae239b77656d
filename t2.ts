import { createTestApp, signedInAs } from './src/testing/test-app.js';
const t = await createTestApp();
const lw = await signedInAs(t.app, 'link_worker');
const urls = ['/directory?q=singing&postcode=DN15+7QG&radius=3', '/openreferral/services?search=singing&postcode=DN15%207QG&proximity=4828', '/directory/services/' + (await t.database.db.selectFrom('directory_service').select('id').executeTakeFirstOrThrow()).id];
for (const url of urls) {
  for (let i = 0; i < 20; i++) await lw.get(url);
  const start = performance.now();
  for (let i = 0; i < 200; i++) await lw.get(url);
  console.log(url.slice(0, 40), ((performance.now() - start) / 200).toFixed(2), 'ms per request');
}
await t.close();
