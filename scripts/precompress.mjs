// Writes NAME.gz (gzip, level 9) and NAME.br (brotli, quality 11) beside every text or wasm file
// of a built site, for static hosts that serve a precompressed file when the browser accepts it
// (nginx's gzip_static and brotli_static, Caddy's precompressed, GitHub Pages and most CDNs do
// their own). Files under 1 KiB are left alone. Prints what it wrote and the totals.
//   node scripts/precompress.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, gunzipSync, brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

const root = process.argv[2];
if (!root) { console.error('usage: node scripts/precompress.mjs DIR'); process.exit(2); }
const kinds = new Set(['.wasm', '.js', '.css', '.html', '.svg', '.json', '.txt', '.md', '.xml', '.map']);
const totals = { raw: 0, gz: 0, br: 0, files: 0 };
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) { walk(path); continue; }
    if (!kinds.has(extname(name)) || st.size < 1024) continue;
    const raw = readFileSync(path);
    const gz = gzipSync(raw, { level: 9 });
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    // A host serves these in place of the file: they must be the file.
    if (!gunzipSync(gz).equals(raw) || !brotliDecompressSync(br).equals(raw)) throw new Error(`${path}: a compressed copy does not decompress to the file`);
    writeFileSync(`${path}.gz`, gz);
    writeFileSync(`${path}.br`, br);
    totals.raw += raw.length; totals.gz += gz.length; totals.br += br.length; totals.files += 1;
    if (extname(name) === '.wasm') console.log(`${path}: ${(raw.length / 1024).toFixed(0)} KiB, gzip ${(gz.length / 1024).toFixed(0)} KiB, brotli ${(br.length / 1024).toFixed(0)} KiB`);
  }
}
walk(root);
console.log(`precompressed ${totals.files} files: ${(totals.raw / 1024).toFixed(0)} KiB, gzip ${(totals.gz / 1024).toFixed(0)} KiB, brotli ${(totals.br / 1024).toFixed(0)} KiB`);
