import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { temporaryRoot } from '../../src/cli/temporary-root.js';

describe('temporaryRoot', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'sealbid-temporary-root-'));
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('prefers TMPDIR', () => {
    const chosen = join(folder, 'chosen');
    mkdirSync(chosen);

    expect(temporaryRoot({ TMPDIR: chosen }, folder)).toBe(chosen);
  });

  it('rejects a TMPDIR that is not a folder', () => {
    const file = join(folder, 'plain-file');
    writeFileSync(file, '');

    expect(() => temporaryRoot({ TMPDIR: join(folder, 'missing') }, folder)).toThrow(`TMPDIR is ${join(folder, 'missing')}, which is not a writable folder: create it, or unset TMPDIR`);
    expect(() => temporaryRoot({ TMPDIR: file }, folder)).toThrow('which is not a writable folder');
  });

  it('uses the memory folder without TMPDIR', () => {
    expect(temporaryRoot({}, folder)).toBe(folder);
    expect(temporaryRoot({ TMPDIR: '' }, folder)).toBe(folder);
  });

  it('falls back without a memory folder', () => {
    const file = join(folder, 'not-a-folder');
    writeFileSync(file, '');

    expect(temporaryRoot({}, join(folder, 'missing'))).toBe(tmpdir());
    expect(temporaryRoot({}, file)).toBe(tmpdir());
  });
});
