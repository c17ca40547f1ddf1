// biome-ignore-all lint/suspicious/noTemplateCurlyInString: JCasC placeholders are literal ${…} text
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { captured } from './support/regexp.js';

// Jenkins cannot run here (no Docker engine), so its configuration is checked as data: the JCasC
// file, the plugin list, the Jenkinsfile and the image. Its start-up scripts and compose service
// are in jenkins-runtime.test.ts, the nginx side of /jenkins/ in jenkins-proxy.test.ts.
const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

type Yaml = Record<string, unknown>;
const casc = parse(read('jenkins/casc.yaml')) as Yaml;
const plugins = read('jenkins/plugins.txt')
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter(Boolean);
const pluginIds = plugins.map((line) => line.split(':')[0]);
const jenkinsfile = read('jenkins/Jenkinsfile');
const jobScript = (() => {
  const [job] = casc.jobs as { script: string }[];
  if (!job) throw new Error('jenkins/casc.yaml defines no job');
  return String(job.script);
})();

function at(path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Yaml | undefined)?.[key], casc);
}

/** Every string value in the file, with the path of keys that leads to it. */
function scalars(node: unknown, path: string[] = []): { path: string[]; value: string }[] {
  if (typeof node === 'string') return [{ path, value: node }];
  if (Array.isArray(node))
    return node.flatMap((item, index) => scalars(item, [...path, `${index}`]));
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) => scalars(value, [...path, key]));
  }
  return [];
}

/** Names of the secret files init-secrets.sh creates. */
const secretFiles = ['admin_password', 'gitlab_webhook_token', 'gitlab_api_token'];

describe('jenkins/casc.yaml', () => {
  it('holds no literal password or token: each is a ${file} from the secrets folder', () => {
    const secretKeys = /(password|token|secret|apitoken)$/i;
    const found = scalars(casc).filter(({ path }) => secretKeys.test(path.at(-1) ?? ''));
    expect(found.map(({ path }) => path.join('.'))).toEqual([
      'jenkins.securityRealm.local.users.0.password',
      'credentials.system.domainCredentials.0.credentials.0.gitLabApiTokenImpl.apiToken',
      'credentials.system.domainCredentials.0.credentials.1.usernamePassword.password',
    ]);
    for (const { path, value } of found) {
      const name = /^\$\{([a-z_]+)\}$/.exec(value)?.[1];
      expect(name, path.join('.')).toBeDefined();
      expect(secretFiles, path.join('.')).toContain(name);
    }
    expect(jobScript).toContain("secretToken('${gitlab_webhook_token}')");
    // No other secretToken, apiToken or password literal hides inside the job script.
    expect(jobScript.match(/secretToken\('[^']*'\)/g)).toEqual([
      "secretToken('${gitlab_webhook_token}')",
    ]);
  });

  it('reads only secrets that init-secrets.sh creates', () => {
    const text = read('jenkins/casc.yaml');
    const referenced = new Set([...text.matchAll(/\$\{([a-z_]+)\}/g)].map((match) => match[1]));
    expect([...referenced].sort()).toEqual([...secretFiles].sort());
    const initScript = read('jenkins/init-secrets.sh');
    for (const name of secretFiles) expect(initScript).toContain(name);
  });

  it('lets no one in without signing in, and no one sign up', () => {
    expect(at('jenkins.securityRealm.local.allowsSignup')).toBe(false);
    const entries = at('jenkins.authorizationStrategy.globalMatrix.entries') as Yaml[];
    expect(entries).toEqual([
      { user: { name: '${JENKINS_ADMIN_ID:-admin}', permissions: ['Overall/Administer'] } },
    ]);
    const named = entries.flatMap((entry) => Object.values(entry) as { name: string }[]);
    expect(named.map((entry) => entry.name)).not.toContain('anonymous');
    expect(named.map((entry) => entry.name)).not.toContain('authenticated');
    const users = at('jenkins.securityRealm.local.users') as { id: string }[];
    expect(users.map((user) => user.id)).toEqual(['${JENKINS_ADMIN_ID:-admin}']);
  });

  it('keeps CSRF protection, agent → controller security and no agent port', () => {
    expect(at('jenkins.crumbIssuer.standard')).toBeDefined();
    // Agent → controller access control is always on from core 2.326; the image's core is newer.
    const core = /^FROM jenkins\/jenkins:(\d+)\.(\d+)\./m.exec(read('jenkins/Dockerfile'));
    expect(Number(core?.[1]) * 1000 + Number(core?.[2])).toBeGreaterThanOrEqual(2326);
    expect(at('jenkins.remotingSecurity'), 'a removed setting').toBeUndefined();
    expect(at('jenkins.slaveAgentPort')).toBe(-1);
    expect(at('security.globalJobDslSecurityConfiguration.useScriptSecurity')).toBe(true);
  });

  it('connects to GitLab with the token credential it defines', () => {
    const connections = at('unclassified.gitlabconnectionconfig.connections') as Yaml[];
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({
      name: 'gitlab',
      url: '${GITLAB_URL}',
      apiTokenId: 'gitlab-api-token',
      ignoreCertificateErrors: false,
    });
    expect(jenkinsfile).toContain("gitLabConnection('gitlab')");
    const credentialIds = (
      at('credentials.system.domainCredentials.0.credentials') as Record<string, { id: string }>[]
    ).map((credential) => {
      const [body] = Object.values(credential);
      if (!body) throw new Error(`credential without a body: ${JSON.stringify(credential)}`);
      return body.id;
    });
    expect(credentialIds).toEqual(['gitlab-api-token', 'gitlab-clone']);
    expect(jobScript).toContain("credentials('gitlab-clone')");
  });

  it('defines the homeport job: main of GITLAB_REPO_URL, jenkins/Jenkinsfile, GitLab pushes to main', () => {
    expect(jobScript).toMatch(/^pipelineJob\('homeport'\)/);
    expect(jobScript).toContain("url('${GITLAB_REPO_URL}')");
    expect(jobScript).toContain("branch('*/main')");
    const scriptPath = /scriptPath\('([^']+)'\)/.exec(jobScript)?.[1];
    expect(scriptPath).toBe('jenkins/Jenkinsfile');
    expect(existsSync(join(root, scriptPath ?? ''))).toBe(true);
    expect(jobScript).toContain('triggerOnPush(true)');
    expect(jobScript).toContain('triggerOnMergeRequest(false)');
    expect(jobScript).toContain("branchFilterType('NameBasedFilter')");
    expect(jobScript).toContain("includeBranchesSpec('main')");
    // The webhook endpoint is open to GitLab; the job's secret token is what authenticates it.
    expect(at('unclassified.gitlabconnectionconfig.useAuthenticatedEndpoint')).toBe(false);
  });

  // What each part of casc.yaml and of the Jenkinsfile needs. A part missing from this table
  // fails the test below, so a new plugin-backed setting cannot slip in without its plugin.
  const providers: Record<string, string> = {
    'casc:jenkins': 'jenkins-core',
    'casc:jenkins.securityRealm.local': 'jenkins-core',
    'casc:jenkins.authorizationStrategy.globalMatrix': 'matrix-auth',
    'casc:jenkins.crumbIssuer.standard': 'jenkins-core',
    'casc:jenkins.markupFormatter': 'jenkins-core',
    'casc:security.apiToken': 'jenkins-core',
    'casc:security.globalJobDslSecurityConfiguration': 'job-dsl',
    'casc:unclassified.location': 'jenkins-core',
    'casc:unclassified.gitlabconnectionconfig': 'gitlab-plugin',
    'casc:credentials': 'credentials',
    'credential:gitLabApiTokenImpl': 'gitlab-plugin',
    'credential:usernamePassword': 'credentials',
    'casc:jobs': 'job-dsl',
    'dsl:pipelineJob': 'workflow-aggregator',
    'dsl:cpsScm': 'workflow-aggregator',
    'dsl:git': 'git',
    'dsl:gitlab': 'gitlab-plugin',
    'jenkinsfile:pipeline': 'workflow-aggregator',
    'jenkinsfile:gitLabConnection': 'gitlab-plugin',
    'jenkinsfile:gitlabBuilds': 'gitlab-plugin',
    'jenkinsfile:updateGitlabCommitStatus': 'gitlab-plugin',
    'jenkinsfile:timestamps': 'timestamper',
    'jenkinsfile:junit': 'junit',
    'jenkinsfile:sh': 'workflow-aggregator',
    'jenkinsfile:timeout': 'workflow-aggregator',
    'jenkinsfile:disableConcurrentBuilds': 'jenkins-core',
    'jenkinsfile:buildDiscarder': 'jenkins-core',
    'jenkinsfile:logRotator': 'jenkins-core',
  };

  function partsInUse(): string[] {
    const parts = ['casc:jenkins'];
    const jenkins = casc.jenkins as Yaml;
    for (const key of ['securityRealm', 'authorizationStrategy', 'crumbIssuer']) {
      parts.push(...Object.keys(jenkins[key] as Yaml).map((kind) => `casc:jenkins.${key}.${kind}`));
    }
    parts.push('casc:jenkins.markupFormatter');
    for (const section of ['security', 'unclassified']) {
      parts.push(...Object.keys(casc[section] as Yaml).map((key) => `casc:${section}.${key}`));
    }
    parts.push('casc:credentials', 'casc:jobs');
    const credentials = at('credentials.system.domainCredentials.0.credentials') as Yaml[];
    parts.push(...credentials.map((credential) => `credential:${Object.keys(credential)[0]}`));
    for (const match of jobScript.matchAll(/\b(pipelineJob|cpsScm|git|gitlab)\s*[({]/g)) {
      parts.push(`dsl:${match[1]}`);
    }
    for (const match of jenkinsfile.matchAll(/^\s*([A-Za-z]+)\s*[({]/gm)) {
      const step = captured(match);
      const structural = ['agent', 'options', 'stages', 'stage', 'steps', 'post', 'always'];
      const conditions = ['success', 'failure', 'aborted'];
      if (!structural.includes(step) && !conditions.includes(step))
        parts.push(`jenkinsfile:${step}`);
    }
    for (const match of jenkinsfile.matchAll(/\b(logRotator|timeout)\(/g)) {
      parts.push(`jenkinsfile:${match[1]}`);
    }
    return [...new Set(parts)];
  }

  it('names, for every part it uses, a plugin that jenkins/plugins.txt installs', () => {
    const parts = partsInUse();
    expect(parts).toContain('dsl:gitlab');
    expect(parts).toContain('jenkinsfile:updateGitlabCommitStatus');
    for (const part of parts) {
      const plugin = providers[part];
      expect(plugin, `${part} has no known provider: add it to the table`).toBeDefined();
      if (plugin !== 'jenkins-core') expect(pluginIds, `${part} needs ${plugin}`).toContain(plugin);
    }
    expect(pluginIds).toContain('configuration-as-code');
  });
});

describe('jenkins/plugins.txt', () => {
  it('lists each plugin once, as an id or id:version', () => {
    for (const line of plugins) expect(line).toMatch(/^[a-z0-9-]+(:[A-Za-z0-9._-]+)?$/);
    expect(new Set(pluginIds).size).toBe(pluginIds.length);
  });
});

describe('jenkins/Jenkinsfile', () => {
  const shellSteps = [...jenkinsfile.matchAll(/\bsh\s*\(?\s*'([^']*)'/g)].map((match) =>
    captured(match),
  );

  it('only calls scripts that exist and are executable, with nothing else in the step', () => {
    expect(shellSteps).toEqual([
      'scripts/ci-test.sh',
      'scripts/build-images.sh "$GIT_COMMIT"',
      'scripts/deploy.sh "$GIT_COMMIT"',
    ]);
    for (const step of shellSteps) {
      const [script] = step.split(' ');
      if (script === undefined) throw new Error(`empty shell step: ${step}`);
      expect(existsSync(join(root, script)), script).toBe(true);
      expect(statSync(join(root, script)).mode & 0o111, `${script} is executable`).not.toBe(0);
    }
    expect(jenkinsfile).not.toMatch(/\b(bat|powershell|script)\s*[({]/);
    expect(jenkinsfile.match(/(^|\s)sh\s*\(?\s*['"]/gm)).toHaveLength(shellSteps.length);
  });

  it('runs Test, Build images and Deploy in that order, each with a timeout', () => {
    const blocks = jenkinsfile.split(/stage\('/).slice(1);
    expect(blocks.map((block) => block.slice(0, block.indexOf("'")))).toEqual([
      'Test',
      'Build images',
      'Deploy',
    ]);
    for (const block of blocks)
      expect(block).toMatch(/options \{ timeout\(time: \d+, unit: 'MINUTES'\) \}/);
    expect(jenkinsfile).toMatch(/options \{[^}]*timeout\(time: \d+, unit: 'MINUTES'\)/);
  });

  it('reports the outcome back to GitLab', () => {
    for (const [condition, state] of [
      ['success', 'success'],
      ['failure', 'failed'],
      ['aborted', 'canceled'],
    ]) {
      expect(jenkinsfile).toMatch(
        new RegExp(
          `${condition} \\{\\s*updateGitlabCommitStatus\\(name: 'jenkins', state: '${state}'\\)`,
        ),
      );
    }
  });
});

describe('jenkins/Dockerfile', () => {
  const dockerfile = read('jenkins/Dockerfile');

  it('builds on an exactly pinned Jenkins LTS with JDK 21', () => {
    expect(dockerfile).toMatch(/^FROM jenkins\/jenkins:\d+\.\d+\.\d+-lts-jdk21$/m);
  });

  it('installs the plugin list, loads casc.yaml, skips the wizard and serves under /jenkins', () => {
    expect(dockerfile).toContain(
      'jenkins-plugin-cli --plugin-file /usr/share/jenkins/ref/plugins.txt',
    );
    expect(dockerfile).toContain('CASC_JENKINS_CONFIG=/etc/homeport/jenkins/casc.yaml');
    expect(dockerfile).toContain('-Djenkins.install.runSetupWizard=false');
    expect(dockerfile).toContain('JENKINS_OPTS="--prefix=/jenkins"');
    expect(dockerfile).toMatch(
      /HEALTHCHECK[^\n]*\\\n\s*CMD curl -fsS -o \/dev\/null http:\/\/127\.0\.0\.1:8080\/jenkins\/login/,
    );
    expect(dockerfile).toMatch(/docker-ce-cli docker-buildx-plugin docker-compose-plugin/);
  });

  it('copies only files that exist in its build context (the jenkins folder)', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?:--[a-z]+=\S+ )*(\S+) \S+$/gm)]
      .filter((match) => !match[0].includes('--from='))
      .map((match) => captured(match));
    expect(sources.sort()).toEqual([
      'casc.yaml',
      'entrypoint.sh',
      'init-secrets.sh',
      'plugins.txt',
    ]);
    for (const source of sources)
      expect(existsSync(join(root, 'jenkins', source)), source).toBe(true);
  });
});
