// `npm run engine:up`: make a Docker engine answer on this machine.
import { ensureEngine } from './docker-engine.ts';

try {
  const outcome = await ensureEngine();
  console.log(`docker engine ${outcome}`);
} catch (error) {
  console.error(`engine: ${(error as Error).message}`);
  process.exit(2);
}
