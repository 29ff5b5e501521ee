// drainspec CLI: parse, load config, dispatch; maps outcomes to exit codes 0 (match) / 1 (verdict) / 2 (usage, set-up)
// and 128 + n for a run stopped by signal n (129 SIGHUP, 130 SIGINT, 143 SIGTERM).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { ConfigError } from '../config/validate.ts';
import { createProgress } from '../progress/progress.ts';
import { hasCommand } from '../sh.ts';
import { UsageError, parseCommand } from './args.ts';
import { helpText } from './help.ts';
import { InterruptedError } from '../lifecycle/interrupted.ts';

export const EXIT = { matched: 0, verdictMismatch: 1, setupError: 2 } as const;

function latestReport(reportDir: string): string {
  const root = resolve(reportDir);
  const runs = existsSync(root) ? readdirSync(root).map((d) => join(root, d)).filter((d) => existsSync(join(d, 'report.html'))) : [];
  if (runs.length === 0) throw new UsageError(`no report.html under ${root}: run drainspec run --report ${reportDir} first`);
  runs.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return join(runs[0] as string, 'report.html');
}

/** One line per problem, never a stack trace: a ConfigError lists its problems, anything else says its first line. */
function problemLines(error: unknown): string[] {
  if (error instanceof ConfigError) return error.problems;
  const message = error instanceof Error ? error.message : String(error);
  return [message.split('\n')[0] || (error as Error).name || 'unknown error'];
}

async function main(argv: string[]): Promise<number> {
  const command = parseCommand(argv);
  const progress = createProgress();
  switch (command.name) {
    case 'help':
      process.stdout.write(helpText(command.topic));
      return EXIT.matched;
    case 'version': {
      const { PACKAGE_VERSION } = await import('../package-files.ts');
      process.stdout.write(`${PACKAGE_VERSION}\n`);
      return EXIT.matched;
    }
    case 'list': {
      const config = await loadConfig(command.layer, command.configPath);
      const { listScenarios } = await import('./list-command.ts');
      process.stdout.write(listScenarios(config));
      return EXIT.matched;
    }
    case 'report-open': {
      const path = latestReport(command.reportDir ?? 'reports');
      process.stdout.write(`${path}\n`);
      // Hand it to the desktop's browser where there is a desktop; CI and servers just get the path.
      if ((process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && (await hasCommand('xdg-open'))) spawn('xdg-open', [path], { detached: true, stdio: 'ignore' }).unref();
      return EXIT.matched;
    }
    case 'cluster': {
      const config = await loadConfig(command.layer, command.configPath);
      const { runClusterCommand } = await import('./cluster-command.ts');
      await runClusterCommand(command.action, config, progress);
      return EXIT.matched;
    }
    case 'run': {
      const config = await loadConfig(command.layer, command.configPath);
      const { runCommand } = await import('./run-command.ts');
      return (await runCommand(config, progress)) ? EXIT.matched : EXIT.verdictMismatch;
    }
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof InterruptedError) {
    // The run guard said what it stopped and exits with the signal's code once its cleanup is done.
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`${problemLines(error).map((line) => `drainspec: ${line}`).join('\n')}\n`);
    process.exitCode = EXIT.setupError;
  }
}
