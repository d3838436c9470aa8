#!/usr/bin/env node
// Checks that every static translation key used in src/ exists in en.json and es.json,
// and that both files define the same keys. Run: node apps/web/scripts/check-i18n.mjs
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flat(obj, prefix = '', out = new Set()) {
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object') flat(v, `${prefix}${k}.`, out);
    else out.add(`${prefix}${k}`.replace(PLURAL, ''));
  }
  return out;
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(tsx?|ts)$/.test(name) ? [p] : [];
  });
}

const en = flat(JSON.parse(readFileSync(path.join(root, 'i18n/en.json'), 'utf8')));
const es = flat(JSON.parse(readFileSync(path.join(root, 'i18n/es.json'), 'utf8')));
const used = new Set();
const RE = /(?:\bt\(|i18nKey=|labelKey:\s*)['"]([a-zA-Z0-9_.]+)['"]/g;
for (const file of files(root)) {
  for (const m of readFileSync(file, 'utf8').matchAll(RE)) if (m[1].includes('.')) used.add(m[1]);
}
const problems = [];
for (const key of used) {
  if (!en.has(key)) problems.push(`missing in en.json: ${key}`);
  if (!es.has(key)) problems.push(`missing in es.json: ${key}`);
}
for (const key of en) if (!es.has(key)) problems.push(`in en.json only: ${key}`);
for (const key of es) if (!en.has(key)) problems.push(`in es.json only: ${key}`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`i18n ok: ${used.size} keys used, ${en.size} defined`);
