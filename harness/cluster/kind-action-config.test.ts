import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { packageFile } from '../package-files.ts';
import { DEFAULT_KIND_OPTIONS } from './kind-cluster.ts';
import { kindConfig } from './kind-config.ts';

test('the GitHub Action creates the cluster drainspec run would create (name, NodePorts on 127.0.0.1, workers), so the run reuses it', () => {
  const shipped = JSON.parse(readFileSync(packageFile('action', 'kind-config.json'), 'utf8')) as unknown;
  expect(shipped).toEqual(kindConfig({ name: 'drainspec', workers: DEFAULT_KIND_OPTIONS.workers, nodePorts: DEFAULT_KIND_OPTIONS.nodePorts }));
  expect(readFileSync(packageFile('action.yml'), 'utf8')).toMatch(/cluster_name: drainspec\n\s+config: \$\{\{ github.action_path \}\}\/action\/kind-config.json/);
});
