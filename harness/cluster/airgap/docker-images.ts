// Small docker helpers shared by the air-gapped image builders.
import { sh } from '../../sh.ts';

export const KEY_LABEL = 'io.drainspec.content-key';

/** True when `ref` exists locally and carries the given content key (or any key when none is given). */
export async function imageHasKey(ref: string, key?: string): Promise<boolean> {
  const out = await sh`docker image inspect --format ${`{{index .Config.Labels "${KEY_LABEL}"}}`} ${ref}`.nothrow();
  if (out.exitCode !== 0) return false;
  return key === undefined || out.stdout.trim() === key;
}

export async function imageExists(ref: string): Promise<boolean> {
  return (await sh`docker image inspect ${ref}`.nothrow()).exitCode === 0;
}
