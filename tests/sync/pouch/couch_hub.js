// A stand-in CouchDB hub for the hub tests and bench: express-pouchdb (in memory) behind HTTP
// Basic auth, as an Apache CouchDB 3 with a database user would answer.
// Usage: node couch_hub.js USER PASSWORD DBNAME
// Prints one line {"port": N} once it listens; runs until killed or stdin closes.
const express = require('express');
const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-memory'));

const [user, password, dbName] = process.argv.slice(2);
const expected = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

async function main() {
  const ServerPouch = PouchDB.defaults({ adapter: 'memory' });
  const app = express();
  app.use((req, res, next) => {
    if (req.headers.authorization === expected) return next();
    res.status(401).set('WWW-Authenticate', 'Basic realm="server"')
      .json({ error: 'unauthorized', reason: 'Name or password is incorrect.' });
  });
  // CouchDB 2+ reads a `_selector` filter's selector from the POST body, as a kiosk's pull
  // sends it; express-pouchdb 4 passes on only `doc_ids` from there, so hand the selector to
  // PouchDB's changes() too, whose `_selector` filter matches the winning revision (deleted
  // ones included, with only their id) as CouchDB's does
  app.post('/:db/_changes', express.json({ limit: '1mb' }), (req, res, next) => {
    if (req.query.filter === '_selector') {
      if (!req.body || typeof req.body.selector !== 'object' || req.body.selector === null) {
        return res.status(400).json({ error: 'bad_request',
                                      reason: 'Selector must be specified in POST payload' });
      }
      req.query.selector = req.body.selector;
      delete req.query.filter;
    }
    next();
  });
  app.use('/', require('express-pouchdb')(ServerPouch, { mode: 'minimumForPouchDB', logPath: '/dev/null' }));
  await new ServerPouch(dbName).info();
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.on('listening', resolve));
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

main().catch((err) => { console.error(err); process.exit(1); });
