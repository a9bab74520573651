// A filtered replication against unmodified PouchDB 9, both ways round.
// Usage: node pouch_selector.js pull MISHU_DB_URL SELECTOR_JSON
//   PouchDB pulls from a mishu node with `selector` (what CouchDB clients send:
//   POST _changes?filter=_selector) and prints the ids it received as a JSON array.
// Usage: node pouch_selector.js serve DOCS_JSON
//   express-pouchdb (the CouchDB API over PouchDB) serves database "mishu" holding the docs
//   on 127.0.0.1, prints its port, and runs until stdin closes. Its root answers as CouchDB
//   2+ does, with the server's uuid.
const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'));

async function pull(url, selector) {
  const kiosk = new PouchDB('kiosk', { adapter: 'memory' });
  const remote = new PouchDB(url, { auth: { username: 'pouch', password: 'pouch' } });
  await kiosk.replicate.from(remote, { selector: JSON.parse(selector) });
  const all = await kiosk.allDocs();
  process.stdout.write(JSON.stringify(all.rows.map((row) => row.id)));
}

async function serve(docsJson) {
  const Memory = PouchDB.defaults({ adapter: 'memory' });
  const app = require('express')();
  // CouchDB 2+ names itself with a uuid at the root; express-pouchdb does not, so say it here
  app.get('/', (req, res) => res.json({ couchdb: 'Welcome', version: '3.3.3',
                                         uuid: 'e0b2bc6a3f1d4c0b9a4c0e1f2a3b4c5d' }));
  // CouchDB 2+ reads a `_selector` filter's selector from the POST body; express-pouchdb 4
  // passes on only `doc_ids` from there, so hand the selector to PouchDB's changes() too
  app.post('/:db/_changes', require('express').json(), (req, res, next) => {
    if (req.body && req.body.selector) req.query.selector = req.body.selector;
    next();
  });
  app.use('/', require('express-pouchdb')(Memory, { mode: 'minimumForPouchDB', inMemoryConfig: true }));
  const server = app.listen(0, '127.0.0.1', async () => {
    const { port } = server.address();
    // created over HTTP, as a hub's database is, so the server knows it
    await new PouchDB(`http://127.0.0.1:${port}/mishu`).bulkDocs(JSON.parse(docsJson));
    process.stdout.write(`${port}\n`);
  });
  process.stdin.on('end', () => server.close(() => process.exit(0)));
  process.stdin.resume();
}

const [mode, ...args] = process.argv.slice(2);
(mode === 'pull' ? pull(...args) : serve(...args)).catch((error) => {
  process.stderr.write(`${error.stack || JSON.stringify(error)}\n`);
  process.exit(1);
});
