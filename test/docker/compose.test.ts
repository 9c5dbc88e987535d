import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

// Compose files use YAML merge keys (<<: *anchor), which YAML 1.2 parsers apply only when asked.
const compose = parse(readFileSync('docker/compose.yaml', 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const evaluators = ['evaluator-1', 'evaluator-2', 'evaluator-3'];

/** Service names listed in the README's deployment table, written as `name` in the first column. */
function readmeServices(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Deployment')) ?? '';
  return [...section.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((match) => match[1]);
}

describe('docker compose file', () => {
  it('names every service of the README', () => {
    const named = readmeServices();
    expect(named.length).toBeGreaterThanOrEqual(8);
    for (const name of named) {
      expect(Object.keys(services)).toContain(name);
    }
  });

  it('gives each evaluator its own database', () => {
    const urls = evaluators.map((name) => services[name].environment?.DATABASE_URL ?? '');
    urls.forEach((url, i) => expect(url).toContain(`@evaluator-${i + 1}-db:`));
    expect(new Set(urls).size).toBe(evaluators.length);
    for (const name of evaluators) {
      expect(services[`${name}-db`].volumes).toEqual([`${name}-db:/var/lib/postgresql/data`]);
    }
  });

  it('keeps keys and data in per-service volumes', () => {
    for (const name of ['orchestrator', ...evaluators]) {
      expect(services[name].volumes).toEqual([`${name}-data:/var/lib/sealbid`]);
      expect(compose.volumes).toHaveProperty(`${name}-data`);
    }
  });

  it('pins peer keys through configuration', () => {
    evaluators.forEach((name, i) => {
      expect(services[name].environment?.SEALBID_EVALUATOR_INDEX).toBe(String(i + 1));
      expect(services[name].environment?.SEALBID_PEERS).toMatch(/^\$\{EVALUATOR_\d_PEERS:\?/);
    });
  });

  it('checks the health of every service', () => {
    const unchecked = Object.entries(services)
      .filter(([, service]) => (service.healthcheck?.test.length ?? 0) < 2)
      .map(([name]) => name);
    expect(unchecked).toEqual([]);
  });

  it('starts the orchestrator after healthy evaluators', () => {
    for (const name of [...evaluators, 'orchestrator-db']) {
      expect(services.orchestrator.depends_on?.[name]).toEqual({ condition: 'service_healthy' });
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('docker/Dockerfile', 'utf8');

  it('builds in stages', () => {
    const stages = dockerfile.match(/^FROM /gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
  });

  it('runs the sealbid CLI as a non-root user', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "--single-threaded-gc", "dist\/src\/cli\/main\.js"\]$/m);
  });
});
