// Baseline for `make bench`: PouchDB (memory) replicating N docs into express-pouchdb (memory).
// Usage: NODE_PATH=tests/sync/pouch/node_modules node bench/pouch_baseline.js N
// Prints {"seconds": …, "docs_written": …}.
const express = require('express');
const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'));

async function main() {
  const count = Number(process.argv[2] || 50000);
  const ServerPouch = PouchDB.defaults({ adapter: 'memory' });
  const app = express();
  app.use('/', require('express-pouchdb')(ServerPouch, { mode: 'minimumForPouchDB', logPath: '/dev/null' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.on('listening', resolve));
  const port = server.address().port;
  await new ServerPouch('bench');
  const source = new PouchDB('source', { adapter: 'memory' });
  for (let start = 0; start < count; start += 2000) {
    const docs = [];
    for (let i = start; i < Math.min(count, start + 2000); i++) {
      docs.push({ _id: `signin:${i}`, member: `2026${i % 9999}`, meeting: `meeting:${i % 97}`,
                  name: '张三丰', at: '2026-11-25T14:02', node: 'secretary-laptop', method: 'badge' });
    }
    await source.bulkDocs(docs);
  }
  const remote = new PouchDB(`http://127.0.0.1:${port}/bench`, { adapter: 'http' });
  const started = process.hrtime.bigint();
  const result = await PouchDB.replicate(source, remote, { batch_size: 500, batches_limit: 5 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, docs_written: result.docs_written }));
  server.close();
  process.exit(0);
}

main().catch((err) => { console.error(err); process.exit(1); });
