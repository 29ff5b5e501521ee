import { describe, expect, test } from 'vitest';
import { OPTIONS } from '../config/options.ts';
import { helpText } from './help.ts';

describe('help', () => {
  test('run --help explains every flag of run with its env variable and default, and has examples', () => {
    const text = helpText('run');
    for (const { flag } of Object.values(OPTIONS)) expect(text).toContain(`\n  ${flag}`);
    expect(text).toMatch(/\n {2}--grace-period S\n {6}terminationGracePeriodSeconds of the sample app and of --image; with --manifests your Deployment's own applies\n {6}\(config rollout.terminationGracePeriodSeconds; default: 15\)/);
    expect(text).toMatch(/\n {2}--drain-delay-ms MS\n {6}sample app only: /);
    expect(text).toMatch(/\n {2}--replicas N\n {6}replicas of the app under test \(every app/);
    expect(text).toMatch(/\n {2}--image REF\n {6}your app's container image, tested instead of the sample app.*\n {6}\(env DRAINSPEC_APP_IMAGE; config app.image; default: the sample app\)/);
    expect(text).toMatch(/--node-image REF\n {6}kind's node image \(the Kubernetes node, not your app: that is --image\)/);
    expect(text).toMatch(/\(env DRAINSPEC_REPORT_DIR; config reportDir; default: reports\)/);
    expect(text).toMatch(/\nExamples:\n {2}npx drainspec run/);
    expect(text).toContain('Exit codes: 0');
  });

  test('list and cluster help show only their flags', () => {
    expect(helpText('list')).toContain('--scenario GLOB');
    expect(helpText('list')).not.toContain('--rate');
    expect(helpText('cluster')).toContain('--node-image REF');
    expect(helpText('cluster')).not.toContain('--image REF');
  });

  test('the general help names every command and points to per-command help', () => {
    const text = helpText();
    for (const command of ['drainspec run', 'drainspec list', 'drainspec cluster up|down', 'drainspec report open', 'drainspec --version']) expect(text).toContain(command);
    expect(text).toContain('drainspec <command> --help');
  });
});
