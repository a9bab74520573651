// An unmodified PouchDB 9 replicating with a mishu node: push, then pull into a fresh db.
// The remote is created the ordinary way (Basic auth, no skip_setup), so PouchDB first asks
// GET and PUT on the database URL with its trailing slash, as it does against CouchDB.
// Usage: node pouch_peer.js MISHU_DB_URL DOC_COUNT
// Prints one JSON object: the revision state (winner + conflicts + deleted) of every doc on both sides.
const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'));

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg || 1000);
const hex = (n, salt) => (BigInt(n) * 2654435761n + BigInt(salt)).toString(16).padStart(32, '0').slice(-32);

async function state(db) {
  const changes = await db.changes({ style: 'all_docs' });
  const out = {};
  for (const row of changes.results) {
    out[row.id] = { leaves: row.changes.map((c) => c.rev).sort(), deleted: Boolean(row.deleted) };
  }
  return out;
}

async function main() {
  const source = new PouchDB('source', { adapter: 'memory' });
  const docs = [];
  for (let i = 0; i < count; i++) {
    const root = `1-${hex(i, 1)}`;
    docs.push({ _id: `pouch:${i}`, _rev: root, n: i, name: '张三', _revisions: { start: 1, ids: [hex(i, 1)] } });
    if (i % 10 === 0) {  // two concurrent edits of the same parent: a conflict
      for (const salt of [2, 3]) {
        docs.push({ _id: `pouch:${i}`, _rev: `2-${hex(i, salt)}`, n: i, edit: salt,
                    _revisions: { start: 2, ids: [hex(i, salt), hex(i, 1)] } });
      }
    } else if (i % 10 === 5) {  // deleted: a tombstone over the first revision
      docs.push({ _id: `pouch:${i}`, _rev: `2-${hex(i, 4)}`, _deleted: true,
                  _revisions: { start: 2, ids: [hex(i, 4), hex(i, 1)] } });
    }
  }
  await source.bulkDocs(docs, { new_edits: false });
  const remote = new PouchDB(url, { auth: { username: 'pouch', password: 'secret' } });
  const session = await fetch(new URL('/_session', url), {
    headers: { Authorization: 'Basic ' + Buffer.from('pouch:secret').toString('base64') } });
  const info = await remote.info();
  const pushed = await PouchDB.replicate(source, remote, { batch_size: 100 });
  const target = new PouchDB('target', { adapter: 'memory' });
  const pulled = await PouchDB.replicate(remote, target, { batch_size: 100 });
  process.stdout.write(JSON.stringify({
    pushed: pushed.docs_written, pulled: pulled.docs_written,
    push_ok: pushed.ok, pull_ok: pulled.ok, db_name: info.db_name,
    session: await session.json(),
    source: await state(source), target: await state(target),
  }));
}

main().catch((err) => { console.error(err); process.exit(1); });
