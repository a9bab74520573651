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
  app.use('/', require('express-pouchdb')(ServerPouch, { mode: 'minimumForPouchDB', logPath: '/dev/null' }));
  await new ServerPouch(dbName).info();
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.on('listening', resolve));
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

main().catch((err) => { console.error(err); process.exit(1); });
