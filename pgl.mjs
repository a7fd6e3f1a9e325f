import { PGlite } from '@electric-sql/pglite';
let t=Date.now(); const db = new PGlite(); await db.query('select 1'); console.log('new', Date.now()-t);
t=Date.now(); const db2 = new PGlite(); await db2.query('select 1'); console.log('new2', Date.now()-t);
t=Date.now(); const c = await db.clone(); await c.query('select 1'); console.log('clone', Date.now()-t);
t=Date.now(); const dump = await db.dumpDataDir('none'); console.log('dump', Date.now()-t, dump.size);
t=Date.now(); const d3 = new PGlite({loadDataDir: dump}); await d3.query('select 1'); console.log('load', Date.now()-t);
