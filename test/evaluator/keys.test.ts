import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  backupKeyFile,
  describeKeys,
  generateEvaluatorKeys,
  KeyFileError,
  loadOrCreateKeys,
  readKeyFile,
  restoreKeyFile,
  serializeKeys,
} from '../../src/evaluator/keys/index.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sealbid-keys-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('evaluator key file', () => {
  it('is created once with mode 0600', () => {
    const keyFile = join(dir, 'nested', 'keys.json');
    const first = loadOrCreateKeys({ keyFile });
    const second = loadOrCreateKeys({ keyFile });

    expect(first.source).toBe('created');
    expect(second.source).toBe('file');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    expect(describeKeys(second.keys)).toEqual(describeKeys(first.keys));
  });

  it('prefers inline keys', () => {
    const keys = generateEvaluatorKeys();
    const loaded = loadOrCreateKeys({ keyFile: join(dir, 'absent.json'), inlineKeys: serializeKeys(keys) });
    expect(loaded.source).toBe('environment');
    expect(describeKeys(loaded.keys)).toEqual(describeKeys(keys));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects a file open to others', () => {
    const keyFile = join(dir, 'keys.json');
    loadOrCreateKeys({ keyFile });
    chmodSync(keyFile, 0o644);
    expect(() => readKeyFile(keyFile)).toThrow(/mode 644, open to other users; run chmod 600/);
  });

  it('rejects malformed files without echoing keys', () => {
    const keys = generateEvaluatorKeys();
    const document = JSON.parse(serializeKeys(keys));
    const cases: Array<[string, RegExp]> = [
      ['not json', /not valid JSON/],
      [JSON.stringify({ ...document, kind: 'other' }), /not an evaluator key file/],
      [JSON.stringify({ ...document, signingSecretKey: 'AAAA' }), /signingSecretKey must be 32 bytes/],
      [JSON.stringify({ ...document, sealingSecretKey: undefined }), /sealingSecretKey is missing/],
      [JSON.stringify({ ...document, signingPublicKey: document.sealingPublicKey }), /signingPublicKey does not match its secret key/],
    ];
    for (const [text, message] of cases) {
      const keyFile = join(dir, 'bad.json');
      writeFileSync(keyFile, text, { mode: 0o600 });
      let error: unknown;
      try {
        readKeyFile(keyFile);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(KeyFileError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(document.signingSecretKey);
      rmSync(keyFile);
    }
  });
});

describe('key backup and restore', () => {
  it('restores from any threshold of shares', async () => {
    const keyFile = join(dir, 'keys.json');
    const { keys } = loadOrCreateKeys({ keyFile });
    const { files, fingerprint } = await backupKeyFile({ keyFile, outDir: join(dir, 'shares'), shares: 5, threshold: 3 });

    expect(files).toHaveLength(5);
    for (const file of files) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).not.toContain(describeKeys(keys).signingPublicKey);
    }

    for (const subset of [[0, 1, 2], [2, 3, 4], [0, 2, 4], [0, 1, 2, 3, 4]]) {
      const restored = join(dir, `restored-${subset.join('')}.json`);
      const result = await restoreKeyFile({ shareFiles: subset.map((i) => files[i]), keyFile: restored });
      expect(result.fingerprint).toBe(fingerprint);
      expect(describeKeys(readKeyFile(restored))).toEqual(describeKeys(keys));
    }
  });

  it('rejects too few or mixed shares', async () => {
    const first = join(dir, 'a.json');
    const second = join(dir, 'b.json');
    loadOrCreateKeys({ keyFile: first });
    loadOrCreateKeys({ keyFile: second });
    const a = await backupKeyFile({ keyFile: first, outDir: join(dir, 'a'), shares: 3, threshold: 2 });
    const b = await backupKeyFile({ keyFile: second, outDir: join(dir, 'b'), shares: 3, threshold: 2 });
    const target = join(dir, 'restored.json');

    await expect(restoreKeyFile({ shareFiles: [a.files[0]], keyFile: target })).rejects.toThrow(/1 share files given, but this backup needs 2/);
    await expect(restoreKeyFile({ shareFiles: [a.files[0], b.files[1]], keyFile: target })).rejects.toThrow(/different backups/);
    await expect(restoreKeyFile({ shareFiles: [a.files[0], a.files[0]], keyFile: target })).rejects.toThrow(/same share was given twice/);
    await expect(restoreKeyFile({ shareFiles: [], keyFile: target })).rejects.toThrow(/no share files given/);
    await expect(restoreKeyFile({ shareFiles: [a.files[0], a.files[1]], keyFile: first })).rejects.toThrow(/already exists/);
  });

  it('detects an altered share', async () => {
    const keyFile = join(dir, 'keys.json');
    loadOrCreateKeys({ keyFile });
    const { files } = await backupKeyFile({ keyFile, outDir: join(dir, 'shares'), shares: 3, threshold: 2 });
    const document = JSON.parse(readFileSync(files[1], 'utf8'));
    document.share = document.share.slice(0, 10) + (document.share[10] === 'A' ? 'B' : 'A') + document.share.slice(11);
    writeFileSync(files[1], JSON.stringify(document));

    await expect(restoreKeyFile({ shareFiles: [files[0], files[1]], keyFile: join(dir, 'out.json') })).rejects.toThrow(KeyFileError);
  });

  it('rejects invalid counts', async () => {
    const keyFile = join(dir, 'keys.json');
    loadOrCreateKeys({ keyFile });
    await expect(backupKeyFile({ keyFile, outDir: dir, shares: 1, threshold: 1 })).rejects.toThrow(/shares must be an integer from 2 to 255/);
    await expect(backupKeyFile({ keyFile, outDir: dir, shares: 3, threshold: 4 })).rejects.toThrow(/threshold must be an integer from 2 to shares \(3\)/);
  });
});
