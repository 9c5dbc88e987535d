/**
 * Recovery shares of the evaluator key file. The file's bytes are split with
 * Shamir sharing over GF(2^8) (shamir-secret-sharing), so any `threshold` of
 * the `shares` files rebuild it and fewer reveal nothing about the keys. Each
 * share file also records the public key fingerprint, so a restore can check
 * that its shares belong together and rebuilt the right keys.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { combine, split } from 'shamir-secret-sharing';

import { fromBase64Url, toBase64Url } from '../../crypto/index.js';
import { keyFingerprint, KeyFileError, parseKeys, readKeyFile, serializeKeys, writeKeyFile } from './key-file.js';

const SHARE_KIND = 'sealbid-evaluator-key-share';

/** Options of `sealbid evaluator keys backup`. */
export interface KeyBackupOptions {
  keyFile: string;
  /** Folder the share files are written to; created if missing. */
  outDir: string;
  /** Number of share files, 2 to 255. */
  shares: number;
  /** Number of share files needed to restore, 2 to shares. */
  threshold: number;
}

/** Options of `sealbid evaluator keys restore`. */
export interface KeyRestoreOptions {
  /** Paths of at least `threshold` share files from one backup. */
  shareFiles: string[];
  /** Path of the rebuilt key file, which must not exist yet. */
  keyFile: string;
}

interface ShareDocument {
  version: 1;
  kind: typeof SHARE_KIND;
  fingerprint: string;
  threshold: number;
  shares: number;
  index: number;
  share: string;
}

/**
 * Splits the key file into recovery share files (mode 0600) and returns their paths.
 * @throws RangeError for invalid share or threshold counts.
 * @throws KeyFileError when the key file is unusable or a share file already exists.
 */
export async function backupKeyFile(options: KeyBackupOptions): Promise<{ files: string[]; fingerprint: string }> {
  checkCounts(options.shares, options.threshold);
  const keys = readKeyFile(options.keyFile);
  const fingerprint = keyFingerprint(keys);
  const secret = new TextEncoder().encode(serializeKeys(keys));
  const parts = await split(secret, options.shares, options.threshold);
  secret.fill(0);

  mkdirSync(options.outDir, { recursive: true, mode: 0o700 });
  const files = parts.map((part, position) => {
    const document: ShareDocument = {
      version: 1,
      kind: SHARE_KIND,
      fingerprint,
      threshold: options.threshold,
      shares: options.shares,
      index: position + 1,
      share: toBase64Url(part),
    };
    const path = resolve(join(options.outDir, `evaluator-key-share-${position + 1}-of-${options.shares}.json`));
    writeShareFile(path, document);
    return path;
  });
  return { files, fingerprint };
}

/**
 * Rebuilds the key file from share files and returns the keys' fingerprint.
 * @throws KeyFileError when the shares are malformed, from different backups,
 *   too few, or do not rebuild a valid key file, or the key file already exists.
 */
export async function restoreKeyFile(options: KeyRestoreOptions): Promise<{ fingerprint: string }> {
  const documents = options.shareFiles.map((path) => readShareFile(path));
  const first = documents[0];
  if (!first) {
    throw new KeyFileError('no share files given: pass at least the threshold number of share files');
  }
  checkSameBackup(documents, first);

  const secret = await combine(documents.map((document) => fromBase64Url(document.share)));
  let keys;
  try {
    keys = parseKeys(new TextDecoder().decode(secret), 'the rebuilt key file');
  } catch {
    throw new KeyFileError('the shares did not rebuild a valid key file: one of them is altered or from another backup');
  } finally {
    secret.fill(0);
  }

  const fingerprint = keyFingerprint(keys);
  if (fingerprint !== first.fingerprint) {
    throw new KeyFileError(`the rebuilt keys have fingerprint ${fingerprint}, but the shares name ${first.fingerprint}`);
  }
  writeKeyFile(options.keyFile, keys);
  return { fingerprint };
}

function checkCounts(shares: number, threshold: number): void {
  if (!Number.isInteger(shares) || shares < 2 || shares > 255) {
    throw new RangeError(`shares must be an integer from 2 to 255, got ${shares}`);
  }
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > shares) {
    throw new RangeError(`threshold must be an integer from 2 to shares (${shares}), got ${threshold}`);
  }
}

function checkSameBackup(documents: ShareDocument[], first: ShareDocument): void {
  for (const document of documents) {
    if (document.fingerprint !== first.fingerprint || document.threshold !== first.threshold) {
      throw new KeyFileError('the share files come from different backups: use shares of one backup only');
    }
  }
  const indices = new Set(documents.map((document) => document.index));
  if (indices.size !== documents.length) {
    throw new KeyFileError('the same share was given twice: pass distinct share files');
  }
  if (documents.length < first.threshold) {
    throw new KeyFileError(`${documents.length} share files given, but this backup needs ${first.threshold}`);
  }
}

function writeShareFile(path: string, document: ShareDocument): void {
  if (existsSync(path)) {
    throw new KeyFileError(`share file ${path} already exists; choose an empty folder`);
  }
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
}

function readShareFile(path: string): ShareDocument {
  let document: Partial<ShareDocument>;
  try {
    document = JSON.parse(readFileSync(path, 'utf8')) as Partial<ShareDocument>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeyFileError(`share file ${path} could not be read${code ? ` (${code})` : ': not valid JSON'}`);
  }
  const valid =
    document?.kind === SHARE_KIND &&
    document.version === 1 &&
    typeof document.fingerprint === 'string' &&
    Number.isInteger(document.threshold) &&
    Number.isInteger(document.index) &&
    typeof document.share === 'string';
  if (!valid) {
    throw new KeyFileError(`share file ${path} is not an evaluator key share: expected kind "${SHARE_KIND}" and version 1`);
  }
  return document as ShareDocument;
}
