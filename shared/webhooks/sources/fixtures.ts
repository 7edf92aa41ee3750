/**
 * Sample payloads of each source, shaped like the registries' documented
 * deliveries (docs: shared/docs/registry-webhooks.md). Used by the parser
 * tables and the integration tests.
 */
export const DIGEST_A = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;

export function dockerHubPush(repoName: string, tag: string, pushedAt = 1_700_000_000) {
  const [namespace, name] = repoName.includes('/') ? repoName.split('/') : ['library', repoName];
  return {
    callback_url: `https://registry.hub.docker.com/u/${repoName}/hook/abc/`,
    push_data: { pushed_at: pushedAt, pusher: 'ci', tag, images: [] },
    repository: {
      repo_name: repoName,
      name,
      namespace,
      owner: namespace,
      repo_url: `https://registry.hub.docker.com/u/${repoName}/`,
      is_private: false,
      is_official: false,
      is_trusted: false,
      status: 'Active',
      star_count: 0,
      comment_count: 0,
      date_created: 1_600_000_000,
    },
  };
}

export function githubPackage(namespace: string, name: string, tag: string, digest = DIGEST_A, action = 'published') {
  return {
    action,
    package: {
      id: 1,
      name,
      namespace,
      description: '',
      ecosystem: 'CONTAINER',
      package_type: 'CONTAINER',
      html_url: `https://github.com/${namespace}/${name}/pkgs/container/${name}`,
      owner: { login: namespace },
      registry: { about_url: 'https://docs.github.com', name: 'GitHub CONTAINER registry', type: 'CONTAINER', url: `https://ghcr.io/${namespace}`, vendor: 'GitHub Inc' },
      package_version: {
        id: 2,
        version: digest,
        name: digest,
        package_url: `ghcr.io/${namespace}/${name}:${tag}`,
        container_metadata: { tag: { name: tag, digest }, labels: {}, manifest: {} },
      },
    },
    repository: { full_name: `${namespace}/${name}` },
    sender: { login: 'ci' },
  };
}

export function ecrPush(account: string, region: string, repo: string, tag: string | undefined, digest = DIGEST_A, id = '4f5ec4d5-4de4-7aad-a046-56d5cfe1df0e') {
  return {
    version: '0',
    id,
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account,
    time: '2024-01-01T00:00:00Z',
    region,
    resources: [],
    detail: { result: 'SUCCESS', 'repository-name': repo, 'image-digest': digest, 'action-type': 'PUSH', ...(tag ? { 'image-tag': tag } : {}) },
  };
}

export function harborPush(host: string, project: string, repo: string, tag: string, digest = DIGEST_A, type = 'PUSH_ARTIFACT') {
  return {
    type,
    occur_at: 1_700_000_000,
    operator: 'admin',
    event_data: {
      resources: [{ digest, tag, resource_url: `${host}/${project}/${repo}:${tag}` }],
      repository: { date_created: 1_600_000_000, name: repo, namespace: project, repo_full_name: `${project}/${repo}`, repo_type: 'private' },
    },
  };
}

export function harborCloudEvent(host: string, project: string, repo: string, tag: string, digest = DIGEST_A, id = 'b9f9a1c2-0d8e-4c55-8f7e-3f2d7a9a1e11') {
  return {
    specversion: '1.0',
    id,
    requestid: 'r-1',
    source: '/projects/1/webhook/policies/1',
    type: 'harbor.artifact.pushed',
    datacontenttype: 'application/json',
    time: '2024-01-01T00:00:00Z',
    data: {
      resources: [{ digest, tag, resource_url: `${host}/${project}/${repo}:${tag}` }],
      repository: { date_created: 1_600_000_000, name: repo, namespace: project, repo_full_name: `${project}/${repo}`, repo_type: 'private' },
    },
    operator: 'admin',
  };
}

export function quayPush(repo: string, tags: string[] | Record<string, string>) {
  const [namespace, name] = repo.split('/');
  return { name, repository: repo, namespace, docker_url: `quay.io/${repo}`, homepage: `https://quay.io/repository/${repo}`, updated_tags: tags };
}
