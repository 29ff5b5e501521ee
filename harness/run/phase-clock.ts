// How long each step of a scenario took, for the report (where a scenario's time goes) and bench:matrix.
import type { ScenarioPhase, ScenarioPhases } from '../model/run-data.ts';

export interface PhaseClock {
  /** Ends the running phase (if any) and starts `phase`. */
  enter(phase: ScenarioPhase): void;
  /** Ends the running phase; returns every phase's milliseconds so far (a phase entered twice adds up). */
  stop(): ScenarioPhases;
}

export function startPhaseClock(now: () => number = Date.now): PhaseClock {
  const phases: ScenarioPhases = {};
  let running: { phase: ScenarioPhase; since: number } | undefined;
  const end = () => {
    if (running) phases[running.phase] = (phases[running.phase] ?? 0) + now() - running.since;
    running = undefined;
  };
  return {
    enter(phase) {
      end();
      running = { phase, since: now() };
    },
    stop() {
      end();
      return { ...phases };
    },
  };
}
