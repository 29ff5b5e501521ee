// Thin wrappers over the engine for image builds: existence, size, and a testcontainers Dockerfile build.
import { GenericContainer } from 'testcontainers';
import { sh } from '../sh.ts';

export async function imageExists(ref: string): Promise<boolean> {
  return (await sh`docker image inspect ${ref}`.nothrow()).exitCode === 0;
}

export async function imageSizeBytes(ref: string): Promise<number> {
  return Number((await sh`docker image inspect --format {{.Size}} ${ref}`).stdout.trim());
}

/** Builds `dockerfile` (relative to `context`) as `tag`, kept after the process exits. */
export async function buildDockerfile(context: string, dockerfile: string, tag: string, buildArgs: Record<string, string> = {}): Promise<void> {
  // Ryuk's image can never be pulled here, and a kept image needs no reaper.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  try {
    await GenericContainer.fromDockerfile(context, dockerfile).withBuildArgs(buildArgs).build(tag, { deleteOnExit: false });
  } catch (error) {
    throw new Error(`docker build of ${tag} from ${context}/${dockerfile} failed: ${(error as Error).message.split('\n')[0]}; is the engine up (npm run engine:up)?`);
  }
}
