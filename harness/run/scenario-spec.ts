// Maps a catalogue scenario plus the run config to the app spec deployed for it (pure).
import type { DrainspecConfig } from '../config/defaults.ts';
import type { AppSpec } from '../k8s/templates.ts';
import { YOUR_APP, type Scenario } from '../scenarios/catalogue.ts';

export const APP_NAME = 'app';

/**
 * Variants that cover endpoint propagation with an in-app drain delay. slow-drain and delayed-close are graceful's
 * twins whose only flaw is work that outlasts the grace period, or idle keep-alive sockets closed unannounced, so
 * they drain the same way; without the delay they would also stop listening before endpoint removal and blur
 * their diagnosis.
 */
const IN_APP_DRAIN_DELAY: ReadonlySet<string> = new Set(['graceful', 'slow-drain', 'delayed-close']);

export function scenarioAppSpec(scenario: Scenario, config: DrainspecConfig, namespace: string, image: string, nodePort: number | undefined, imagePullPolicy: AppSpec['imagePullPolicy']): AppSpec {
  const { rollout } = config;
  return {
    name: APP_NAME,
    namespace,
    image,
    containerPort: config.app.port,
    nodePort,
    replicas: rollout.replicas,
    // The user's app gets no variant switches; the sample app is told which shutdown behaviour to show.
    env: scenario.app === YOUR_APP ? {} : {
      DRAINSPEC_VARIANT: scenario.app,
      DRAIN_DELAY_MS: String(IN_APP_DRAIN_DELAY.has(scenario.app) ? rollout.drainDelayMs : 0),
    },
    readinessPath: config.app.readinessPath,
    terminationGracePeriodSeconds: rollout.terminationGracePeriodSeconds,
    preStopSleepSeconds: scenario.app === 'graceful-prestop' ? rollout.preStopSleepSeconds : 0,
    // maxUnavailable 0 keeps capacity during the rollout; Recreate is the deliberate downtime control.
    strategy: scenario.trigger === 'recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 },
    imagePullPolicy,
  };
}

/** Pods left once the trigger has played out. */
export function replicasAfter(scenario: Scenario, config: DrainspecConfig): number {
  return scenario.trigger === 'scale-down' ? 1 : config.rollout.replicas;
}
