import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const cryptoDir = join(process.cwd(), 'src', 'crypto');

describe('src/crypto browser safety', () => {
  it('imports no Node built-ins or Buffer', () => {
    const files = readdirSync(cryptoDir).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const source = readFileSync(join(cryptoDir, name), 'utf8');
      expect({ name, nodeImport: /from ['"]node:|require\(/.test(source) }).toEqual({ name, nodeImport: false });
      expect({ name, buffer: /\bBuffer\./.test(source) }).toEqual({ name, buffer: false });
    }
  });
});
