import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateSealingKeyPair, generateSigningKeyPair, toBase64Url } from '../../src/crypto/index.js';
import { ConfigError, loadOrchestratorConfig, operatorKeyPath } from '../../src/orchestrator/config/orchestrator-config.js';

const TOKEN = 't'.repeat(32);

function evaluatorList(count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, index) => ({
    url: `http://127.0.0.1:${7101 + index}/`,
    signingKey: toBase64Url(generateSigningKeyPair().publicKey),
    sealingKey: toBase64Url(generateSealingKeyPair().publicKey),
  }));
}

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sealbid-config-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function load(overrides: Record<string, string | undefined>) {
  return loadOrchestratorConfig({
    SEALBID_DATA_DIR: dataDir,
    SEALBID_EVALUATORS: JSON.stringify(evaluatorList(3)),
    SEALBID_EVALUATOR_TOKEN: TOKEN,
    ...overrides,
  });
}

describe('orchestrator configuration', () => {
  test('fills in the defaults', () => {
    const config = load({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBeNull();
    expect(config.degree).toBe(1);
    expect(config.evaluators.map((evaluator) => evaluator.party)).toEqual([1, 2, 3]);
    expect(config.evaluators[0].url).toBe('http://127.0.0.1:7101');
    expect(config.evaluators[0].token).toBe(TOKEN);
  });

  test('creates the operator key once with mode 0600', () => {
    const first = load({}).operatorApiKey;
    const path = operatorKeyPath(dataDir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first);
    expect(load({}).operatorApiKey).toBe(first);
  });

  test('uses a given operator key and rejects a short one', () => {
    expect(load({ SEALBID_OPERATOR_KEY: 'k'.repeat(20) }).operatorApiKey).toBe('k'.repeat(20));
    expect(() => load({ SEALBID_OPERATOR_KEY: 'short' })).toThrow('at least 16 characters');
  });

  test('derives the degree from n', () => {
    expect(load({ SEALBID_EVALUATORS: JSON.stringify(evaluatorList(5)) }).degree).toBe(2);
    expect(load({ SEALBID_EVALUATORS: JSON.stringify(evaluatorList(4)) }).degree).toBe(1);
  });

  test('rejects a degree too large for n', () => {
    expect(() => load({ SEALBID_DEGREE: '2' })).toThrow('SEALBID_DEGREE 2 needs at least 5 evaluators, got 3');
  });

  test.each([
    [{ SEALBID_EVALUATORS: undefined }, 'SEALBID_EVALUATORS is missing'],
    [{ SEALBID_EVALUATORS: '[' }, 'not valid JSON'],
    [{ SEALBID_EVALUATORS: JSON.stringify(evaluatorList(2)) }, 'at least 3 evaluators'],
    [{ SEALBID_PORT: '70000' }, 'SEALBID_PORT must be an integer from 0 to 65535, got "70000"'],
    [{ SEALBID_PORT: '80a' }, 'SEALBID_PORT must be an integer'],
    [{ DATABASE_URL: 'mysql://user:secret@host/db' }, 'got scheme "mysql"'],
    [{ SEALBID_EVALUATOR_TOKEN: undefined }, 'SEALBID_EVALUATORS[0].token is missing'],
    [{ SEALBID_EVALUATOR_TOKEN: 'short' }, 'at least 32 characters'],
  ])('rejects %j', (overrides, message) => {
    expect(() => load(overrides)).toThrow(ConfigError);
    expect(() => load(overrides)).toThrow(message);
  });

  test('never quotes the database password', () => {
    expect(() => load({ DATABASE_URL: 'mysql://user:secret@host/db' })).not.toThrow('secret');
  });

  test('names the invalid evaluator entry', () => {
    const list = evaluatorList(3);
    list[1].signingKey = 'AAAA';
    expect(() => load({ SEALBID_EVALUATORS: JSON.stringify(list) })).toThrow('SEALBID_EVALUATORS[1].signingKey must decode to 32 bytes, got 3');
    list[1] = { ...evaluatorList(1)[0], url: 'ftp://x' };
    expect(() => load({ SEALBID_EVALUATORS: JSON.stringify(list) })).toThrow('SEALBID_EVALUATORS[1].url must use http or https');
  });

  test('rejects gaps in the party numbers', () => {
    const list = evaluatorList(3).map((entry, index) => ({ ...entry, party: index === 2 ? 4 : index + 1 }));
    expect(() => load({ SEALBID_EVALUATORS: JSON.stringify(list) })).toThrow('parties must be 1 to 3 without gaps or repeats');
  });
});

describe('orchestrator configuration with several problems', () => {
  function problemsOf(overrides: Record<string, string | undefined>): readonly string[] {
    try {
      load(overrides);
    } catch (error) {
      if (error instanceof ConfigError) {
        expect(error.message).toBe(error.problems.join('\n'));
        return error.problems;
      }
      throw error;
    }
    throw new Error('expected a ConfigError');
  }

  test('lists every invalid setting', () => {
    const problems = problemsOf({
      SEALBID_EVALUATORS: JSON.stringify(evaluatorList(2)),
      SEALBID_PORT: '70000',
      DATABASE_URL: 'mysql://user:secret@host/db',
      SEALBID_RATE_LIMIT_WINDOW_MS: '10',
      SEALBID_OPERATOR_KEY: 'short-key',
    });
    expect(problems).toEqual([
      'SEALBID_EVALUATORS must be a JSON array of at least 3 evaluators',
      'SEALBID_PORT must be an integer from 0 to 65535, got "70000"',
      'DATABASE_URL must start with postgres:// or postgresql://, got scheme "mysql"',
      'SEALBID_RATE_LIMIT_WINDOW_MS must be an integer from 1000 to 3600000, got "10"',
      'SEALBID_OPERATOR_KEY must be at least 16 characters long',
    ]);
    expect(problems.join('\n')).not.toContain('secret');
    expect(problems.join('\n')).not.toContain('short-key');
  });

  test('skips degree check for invalid list', () => {
    expect(problemsOf({ SEALBID_EVALUATORS: '[', SEALBID_DEGREE: '2' })).toEqual([
      expect.stringMatching(/^SEALBID_EVALUATORS is not valid JSON/),
    ]);
  });

  test('checks given degree for invalid list', () => {
    expect(problemsOf({ SEALBID_EVALUATORS: '[', SEALBID_DEGREE: '200' })).toEqual([
      expect.stringMatching(/^SEALBID_EVALUATORS is not valid JSON/),
      'SEALBID_DEGREE must be an integer from 1 to 127, got "200"',
    ]);
  });

  test('keeps the message of a single problem', () => {
    expect(() => load({ SEALBID_DEGREE: '2' })).toThrow(new ConfigError('SEALBID_DEGREE 2 needs at least 5 evaluators, got 3'));
    expect(problemsOf({ SEALBID_DEGREE: '2' })).toEqual(['SEALBID_DEGREE 2 needs at least 5 evaluators, got 3']);
  });

  test('creates no key file when a setting is invalid', () => {
    expect(problemsOf({ SEALBID_COMPUTE_TIMEOUT_MS: '10' })).toHaveLength(1);
    expect(existsSync(operatorKeyPath(dataDir))).toBe(false);
  });
});
