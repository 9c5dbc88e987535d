#!/usr/bin/env node
/**
 * Generates the Prisma client of every service schema (prisma/<role>/schema.prisma)
 * into the output folder its generator block names. A client is regenerated only
 * when its schema or the Prisma version changed since the last run, so build and
 * test start-up stay fast.
 *
 * Prisma 7's CLI wants a schema engine binary even for `generate`, which does not
 * run it. Where PRISMA_SCHEMA_ENGINE_BINARY is unset, this script points it at the
 * running Node executable, an existing file, so no engine download is attempted.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const prismaDir = join(root, 'prisma');
const prismaCli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
const STAMP_FILE = '.schema-hash';

/** Returns the schema files, one per service role. */
function findSchemas() {
  return readdirSync(prismaDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(prismaDir, entry.name, 'schema.prisma'))
    .filter((path) => existsSync(path))
    .sort();
}

/** Reads the generator output folder of a schema, resolved against the schema's folder. */
function outputFolder(schemaPath, schema) {
  const match = /^\s*output\s*=\s*"([^"]+)"/m.exec(schema);
  if (!match) {
    throw new Error(`${schemaPath} has no generator output; add output = "..." to its generator block`);
  }
  return resolve(dirname(schemaPath), match[1]);
}

function prismaVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'prisma', 'package.json'), 'utf8')).version;
}

function generate(schemaPath, force) {
  const schema = readFileSync(schemaPath, 'utf8');
  const output = outputFolder(schemaPath, schema);
  const stampPath = join(output, STAMP_FILE);
  const stamp = createHash('sha256').update(prismaVersion()).update('\0').update(schema).digest('hex');

  if (!force && existsSync(stampPath) && readFileSync(stampPath, 'utf8').trim() === stamp) {
    return false;
  }
  const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', schemaPath], { cwd: root, env, stdio: 'pipe' });
  writeFileSync(stampPath, `${stamp}\n`);
  return true;
}

const force = process.argv.includes('--force');
for (const schemaPath of findSchemas()) {
  try {
    const generated = generate(schemaPath, force);
    console.log(`${generated ? 'generated' : 'up to date'}: Prisma client for ${schemaPath.slice(root.length + 1)}`);
  } catch (error) {
    const output = [error.stdout, error.stderr].filter(Boolean).join('\n');
    console.error(`Prisma client generation failed for ${schemaPath}: ${error.message}\n${output}`);
    process.exit(1);
  }
}
