// The V8 flags the container image starts the gateway with (Dockerfile ENTRYPOINT; a test keeps
// the two equal), so the benchmark measures the gateway as deployed. Why: V8 lets the young
// generation grow to 3 × 16 MB semi-spaces under a high allocation rate; most of that is garbage
// between scavenges, yet it stays resident. 8 MB semi-spaces cut RSS under load by ~40–50 MB
// (full pipeline, 8 KB, c=64: 197–207 → 155–163 MB) with no measurable CPU cost in the same
// runs; 4 MB cut more (151 MB) but cost CPU per request (more scavenges, earlier promotion).
// --max-old-space-size=1024: V8 sizes the old generation's growing factor by its maximum; with
// the default maximum (from the machine's memory) it lets the old generation grow ~4× past the
// live heap (~40 MB) before a full collection, with 1 GB ~1.6×. Pure proxy at c=16, same sitting:
// RSS peak 249–250 → 164–167 MB at the same CPU per request. 1 GB stays far above what the
// gateway keeps alive, so it only changes when garbage is collected; it is also the heap's hard
// limit, so a container limit should leave room above it (docs/cluster.md).
// BENCHMARKS.md "Memory" has the figures. `serve` itself cannot set them: heap sizes are fixed
// when the process starts.
export const GATEWAY_NODE_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=1024'];
