import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';

// Two layers: dockerfile-utils (the linter behind the Dockerfile language server) checks
// instructions, flags and arguments the way the builder parses them; hadolint is a Haskell binary
// that does not install here, so the policy rules that matter to us are checked below on the
// parsed instructions.
const root = join(import.meta.dirname, '../..');
const dockerfiles = [
  'backend/Dockerfile',
  'nginx/Dockerfile',
  'certbot/Dockerfile',
  'jenkins/Dockerfile',
];

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const start = index;
    let line = lines[index] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && index + 1 < lines.length) {
      index++;
      line = `${line.slice(0, -1)} ${(lines[index] ?? '').trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) {
      result.push({ keyword: match[1].toUpperCase(), args: match[2], line: start + 1 });
    }
  }
  return result;
}

/** The instructions of the last stage: what the shipped image is made of. */
function finalStage(all: Instruction[]): Instruction[] {
  const lastFrom = all.map((instruction) => instruction.keyword).lastIndexOf('FROM');
  return all.slice(lastFrom);
}

/** The linter's findings as `line N: message`, empty when the file is clean. */
function lint(text: string): string[] {
  return validate(text).map(
    (diagnostic) => `line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`,
  );
}

it('the linter reports unknown instructions, flags and bad arguments', () => {
  expect(lint('FROM node:22.12.0\nRUNN true\nCOPY --chwon=1 a b\nEXPOSE http\n')).toEqual([
    'line 2: Unknown instruction: RUNN',
    'line 3: Unknown flag: chwon',
    'line 4: Invalid containerPort: http',
  ]);
});

describe.each(dockerfiles)('%s', (path) => {
  const text = readFileSync(join(root, path), 'utf8');
  const all = instructions(text);
  const stageNames = all
    .filter((i) => i.keyword === 'FROM')
    .map((i) => /\bAS\s+(\S+)/i.exec(i.args)?.[1])
    .filter(Boolean);

  it('has no syntax directive (BuildKit would pull a frontend image for it)', () => {
    expect(text).not.toMatch(/^#\s*syntax\s*=/im);
  });

  it('passes the Dockerfile linter', () => {
    expect(lint(text)).toEqual([]);
  });

  it('pins every base image to a version tag', () => {
    for (const from of all.filter((i) => i.keyword === 'FROM')) {
      const image = from.args.split(/\s+/)[0] ?? '';
      if (stageNames.includes(image)) continue;
      expect(image, `line ${from.line}`).toMatch(/:[A-Za-z0-9._-]*\d[A-Za-z0-9._-]*$/);
      expect(image, `line ${from.line}`).not.toMatch(/:latest$/);
    }
  });

  it('runs the final image as a non-root user', () => {
    const users = finalStage(all).filter((i) => i.keyword === 'USER');
    expect(users.length, 'USER in the final stage').toBeGreaterThan(0);
    expect(users.at(-1)?.args).not.toMatch(/^(root|0)(:|$)/);
  });

  it('declares a health check', () => {
    expect(finalStage(all).some((i) => i.keyword === 'HEALTHCHECK')).toBe(true);
  });

  it('never ADDs remote URLs or archives, and never bakes secrets into ENV/ARG', () => {
    for (const instruction of all) {
      expect(instruction.keyword, `line ${instruction.line}: use COPY`).not.toBe('ADD');
      if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') {
        expect(instruction.args, `line ${instruction.line}`).not.toMatch(
          /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY)\s*=/i,
        );
      }
      if (instruction.keyword === 'RUN') {
        expect(instruction.args, `line ${instruction.line}`).not.toMatch(/curl[^|]*\|\s*(ba)?sh/);
        expect(instruction.args, `line ${instruction.line}`).not.toMatch(/\bsudo\b/);
      }
    }
  });
});

describe('image builds', () => {
  it('builds the backend in stages from the lockfile and prunes dev dependencies', () => {
    const text = readFileSync(join(root, 'backend/Dockerfile'), 'utf8');
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/npm ci\b/);
    expect(text).toMatch(/npm run build -w backend/);
    expect(text).toMatch(/npm prune --omit=dev/);
    expect(text).toMatch(/^FROM node:22\.[\d.]+-bookworm-slim$/m);
    expect(text).toMatch(/^USER node$/m);
  });

  it('installs OpenSSL in both backend stages before anything runs Prisma, and proves the engine loads', () => {
    const text = readFileSync(join(root, 'backend/Dockerfile'), 'utf8');
    const stages = text.split(/^FROM /m).slice(1);
    expect(stages.length).toBe(2);
    for (const stage of stages) {
      const openssl = stage.search(/apt-get install[^\n]*\bopenssl\b/);
      expect(openssl, 'openssl installed').toBeGreaterThan(-1);
      const firstPrisma = stage.search(/npm ci|npm run build|prisma/);
      if (firstPrisma > -1) expect(openssl).toBeLessThan(firstPrisma);
    }
    expect(stages[1]).toMatch(/^RUN npx --no-install prisma --version/m);
    expect(stages[1]).toMatch(/Schema Engine/);
  });

  it('builds the SPA and serves it from the unprivileged nginx image with njs', () => {
    const text = readFileSync(join(root, 'nginx/Dockerfile'), 'utf8');
    expect(text).toMatch(/npm run build -w frontend/);
    expect(text).toMatch(/^FROM nginxinc\/nginx-unprivileged:[\d.]+-alpine$/m);
    expect(text).toMatch(/COPY nginx\/templates \/etc\/nginx\/templates/);
  });

  it('keeps local state and secrets out of the build context', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '.git', '.run', '**/.env']) {
      expect(ignore).toContain(entry);
    }
  });
});
