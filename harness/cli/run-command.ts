// `drainspec run`: placeholder until the scenario runner lands (harness/run/).
import type { DrainspecConfig } from '../config/defaults.ts';
import type { ProgressSink } from '../progress/progress.ts';

export async function runCommand(_config: DrainspecConfig, _progress: ProgressSink): Promise<boolean> {
  throw new Error('drainspec run is not implemented yet: see issue 4');
}
