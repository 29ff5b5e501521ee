// Network evidence: which pod each connection reached, from the network rather than from the app.
export { startConnectionSampler, type ConnectionSampler, type ConnectionSamplerOptions } from './conntrack-sampler.ts';
