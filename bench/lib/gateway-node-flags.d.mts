// Types for gateway-node-flags.mjs, which stays plain JavaScript so bench/run.mjs and
// bench/profile.mjs load it with bare node; test/deploy/dockerfile.test.ts imports it too.
export declare const GATEWAY_NODE_FLAGS: string[];
