import { parseArgs } from 'node:util';

import { backupKeyFile, restoreKeyFile } from '../../evaluator/keys/index.js';
import { parseIntegerOption, UsageError } from '../usage-error.js';

export const KEYS_USAGE = `Usage: sealbid evaluator keys backup --shares N --threshold T [--key-file FILE] [--out DIR]
       sealbid evaluator keys restore --key-file FILE SHARE_FILE...

backup splits the evaluator's private key file into N recovery share files
(Shamir sharing over GF(2^8)); any T of them rebuild it, fewer reveal nothing.
restore rebuilds the key file from at least T share files; it never
overwrites an existing key file. --key-file defaults to SEALBID_KEY_FILE.
`;

/** Runs `sealbid evaluator keys backup|restore`. */
export async function keysCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === 'backup') {
    return backup(rest);
  }
  if (action === 'restore') {
    return restore(rest);
  }
  throw new UsageError(`expected "keys backup" or "keys restore", got ${action === undefined ? 'nothing' : JSON.stringify(action)}`);
}

async function backup(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { shares: { type: 'string' }, threshold: { type: 'string' }, 'key-file': { type: 'string' }, out: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.shares === undefined || values.threshold === undefined) {
    throw new UsageError('keys backup needs --shares N and --threshold T');
  }
  const shares = parseIntegerOption('shares', values.shares, 0, 2, 255);
  const threshold = parseIntegerOption('threshold', values.threshold, 0, 2, shares);
  const keyFile = keyFileOption(values['key-file']);

  const { files, fingerprint } = await backupKeyFile({ keyFile, outDir: values.out ?? 'key-shares', shares, threshold });
  process.stdout.write(`wrote ${files.length} share files for keys ${fingerprint}; any ${threshold} rebuild the key file:\n`);
  process.stdout.write(files.map((file) => `  ${file}\n`).join(''));
  return 0;
}

async function restore(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'key-file': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    throw new UsageError('keys restore needs the share files as arguments');
  }
  const keyFile = keyFileOption(values['key-file']);
  const { fingerprint } = await restoreKeyFile({ keyFile, shareFiles: positionals });
  process.stdout.write(`restored ${keyFile} with keys ${fingerprint}\n`);
  return 0;
}

function keyFileOption(given: string | undefined): string {
  const keyFile = given ?? process.env.SEALBID_KEY_FILE;
  if (keyFile === undefined || keyFile === '') {
    throw new UsageError('give the key file with --key-file FILE or SEALBID_KEY_FILE');
  }
  return keyFile;
}
