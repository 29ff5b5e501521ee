// In-cluster load agents: the load client (load/) run as a Job in the run's namespace, its records streamed back
// through the pods' logs and merged into one accounted load result.
//   const image = await buildLoadAgentImage();                   // then load image.tag into the nodes
//   const agents = await runAgents(clients, { namespace, image: image.tag, agents: 2, params: { target: `http://app.${namespace}.svc.cluster.local:80`, profile: 'keepalive', … } });
//   agents.okCount();                                              // live
//   const { requests, served, totals, agents: perAgent } = await agents.stop();
export type { AgentParams } from './agent.ts';
export type { AgentClock, AgentSummary } from './agent-log.ts';
export { mergedSeq } from './agent-log.ts';
export { buildLoadAgentImage, type LoadAgentImage } from './agent-image.ts';
export { AGENT_DEFAULTS } from './defaults.ts';
export { agentJob, type AgentJobSpec } from './job.ts';
export type { AgentsLoadResult } from './merge.ts';
export type { AgentLine, OkLine, RequestKind } from './protocol.ts';
export { runAgents, type AgentPlacement, type RunAgentsOptions, type RunningAgents } from './run-agents.ts';
