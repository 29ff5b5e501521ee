export { startTestBalancer, type BalancerStats, type StartedTestBalancer, type UpstreamStats, type UpstreamTarget } from './balancer.ts';
export { DEFAULT_BALANCER_OPTIONS, type BalancerOptions } from './defaults.ts';
