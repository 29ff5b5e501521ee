// What the report's rollout row says about the app under test: its own grace period, preStop and strategy for
// your manifests, the run's grace period for your image, the sample app's drain delay and preStop only for it.
import type { DrainspecConfig } from '../config/defaults.ts';
import { describePreStop } from '../k8s/pod-evidence.ts';
import { containerOf } from '../k8s/rollout.ts';
import { prepareUserApp, readManifests } from '../k8s/user-manifests.ts';

export interface AppRolloutSettings {
  terminationGracePeriodSeconds: number;
  /** The sample app's in-app drain delay (absent for your app: drainspec cannot see inside it). */
  drainDelayMs?: number;
  /** The sample app's preStop sleep of the graceful-prestop variant (absent for your app). */
  preStopSleepSeconds?: number;
  /** One line: whose settings these are and what they are. */
  appRollout: string;
}

export function appRolloutSettings(config: DrainspecConfig): AppRolloutSettings {
  const { rollout } = config;
  if (config.app.manifests) {
    const user = prepareUserApp(readManifests(config.app.manifests), 'drainspec-settings', 30080, rollout.replicas);
    const spec = user.deployment.spec;
    const grace = spec?.template?.spec?.terminationGracePeriodSeconds ?? 30;
    const container = spec?.template?.spec?.containers.find((c) => c.name === containerOf(user.app));
    const strategy = spec?.strategy?.type === 'Recreate' ? 'Recreate'
      : `RollingUpdate maxSurge ${spec?.strategy?.rollingUpdate?.maxSurge ?? '25%'} maxUnavailable ${spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%'}`;
    return { terminationGracePeriodSeconds: grace, appRollout: `your manifests: terminationGracePeriodSeconds ${grace}, preStop ${describePreStop(container)}, ${strategy}` };
  }
  if (config.app.image) {
    return { terminationGracePeriodSeconds: rollout.terminationGracePeriodSeconds, appRollout: `your image: terminationGracePeriodSeconds ${rollout.terminationGracePeriodSeconds} (--grace-period), no preStop, RollingUpdate maxSurge 1 maxUnavailable 0` };
  }
  return {
    terminationGracePeriodSeconds: rollout.terminationGracePeriodSeconds,
    drainDelayMs: rollout.drainDelayMs,
    preStopSleepSeconds: rollout.preStopSleepSeconds,
    appRollout: `sample app: terminationGracePeriodSeconds ${rollout.terminationGracePeriodSeconds}, drain delay ${rollout.drainDelayMs} ms (graceful variants), preStop sleep ${rollout.preStopSleepSeconds}s (graceful-prestop)`,
  };
}
