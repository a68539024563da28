/**
 * The layers of src/, lowest first (docs/adr/0002-layering.md). A folder may import folders on
 * its own layer or below, never above; rooms never import each other; folders never import in a
 * circle. Every top folder of src/ must appear here, so a new folder is placed on purpose.
 */
export const LAYERS: Readonly<Record<string, number>> = {
  errors: 0,
  model: 1,
  // Infrastructure: serves the rooms, knows none of them.
  text: 2,
  config: 2,
  storage: 2,
  wire: 2,
  observability: 2,
  // One timer for many deadlines of one length (upstream pool, attempt timeouts).
  timers: 2,
  // Rooms: one concern each; they share words only through model/.
  identity: 3,
  policy: 3,
  guard: 3,
  routing: 3,
  providers: 3,
  metering: 3,
  audit: 3,
  // The Responses API's stored conversations (previous_response_id).
  responses: 3,
  // Releases pin the governed parts of several rooms (routing, policy) and serve them to the pipeline.
  releases: 4,
  // The request's way through the rooms; eval drives it to score a release.
  pipeline: 5,
  eval: 5,
  http: 6,
  // The web console's server side: like http, a surface over the pipeline's runtime and the rooms'
  // public functions; the assembly takes its config piece and migrations, main.ts wires it.
  console: 6,
  assembly: 7,
  // Entry points and tools: nothing imports them except each other.
  main: 8,
  cli: 8,
  advisor: 8,
  loadtest: 8,
};

export const LAYER_NAMES: Readonly<Record<number, string>> = {
  0: 'errors',
  1: 'model',
  2: 'infrastructure',
  3: 'rooms',
  4: 'releases',
  5: 'pipeline',
  6: 'http',
  7: 'assembly',
  8: 'entry points and tools',
};

/** Folders on the rooms layer: they may not import one another. */
export const ROOM_LAYER = 3;
