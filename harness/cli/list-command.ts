// `drainspec list`: the scenarios a run with this config would run and the verdict each must produce for both
// client models — planned exactly as run plans them before it touches a cluster.
import type { DrainspecConfig } from '../config/defaults.ts';
import { CLIENT_MODELS } from '../model/run-data.ts';
import { plannedScenarios } from '../run/target.ts';
import { expectedFor, type ExpectedOutcome } from '../scenarios/catalogue.ts';

const outcome = (e: ExpectedOutcome) => (e.verdict === 'pass' ? 'pass' : `fail: ${e.failureClass}`);

export function listScenarios(config: DrainspecConfig): string {
  const { scenarios, skipped } = plannedScenarios(config, config.provider === 'kind' && !config.app.image && !config.app.manifests);
  const app = config.app.manifests ? `your manifests (${config.app.manifests})` : config.app.image ? `your image ${config.app.image}` : 'the sample app';
  const header = ['scenario', ...CLIENT_MODELS.map((m) => `${m === 'strict' ? 'strict clients' : 'retrying clients'}${m === config.clients ? ' (decides)' : ''}`)];
  const rows = scenarios.map((s) => [s.id, ...CLIENT_MODELS.map((m) => outcome(expectedFor(s, m)))]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => (r[i] as string).length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] as number))).join('  ').trimEnd();
  return [
    `${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'} for ${app} on ${config.provider === 'kind' ? `kind (cluster ${config.cluster.name})` : `context ${config.existing.context || '?'}`}, each run ${config.repeat}×; the verdict each must produce:`,
    '',
    line(header),
    ...rows.map(line),
    ...(skipped.length > 0 ? ['', `not on this target: ${skipped.join(', ')}`] : []),
    '',
  ].join('\n');
}
