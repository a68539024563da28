/**
 * Where feedback on a request goes. The audit store implements this to keep the rating with
 * the request's audit record; the in-memory sink below serves tests and deployments without
 * an audit store. The comment is free text from the client: stored, never logged or exported.
 */
export interface FeedbackRecord {
  requestId: string;
  rating: 'up' | 'down';
  reviewerVerdict?: 'accepted' | 'rejected';
  comment?: string;
  /** Principal id of whoever sent the feedback. */
  submittedBy: string;
  receivedAt: Date;
}

export interface FeedbackReceipt {
  /** The model alias of the rated request, when the store knows the request; labels the quality metrics. */
  alias?: string;
}

export interface FeedbackSink {
  /** Stores one item. May throw a GatewayError (e.g. `not_found` for a request id it does not know). */
  record(feedback: FeedbackRecord): Promise<FeedbackReceipt>;
}

export interface MemoryFeedbackSink extends FeedbackSink {
  /** Stored items, oldest first. */
  items(): readonly FeedbackRecord[];
}

/** Keeps the last `capacity` items in memory (bounded: a chatty client cannot exhaust memory). */
export function createMemoryFeedbackSink(capacity = 10_000): MemoryFeedbackSink {
  const stored: FeedbackRecord[] = [];
  return {
    async record(feedback) {
      stored.push(feedback);
      if (stored.length > capacity) stored.splice(0, stored.length - capacity);
      return {};
    },
    items: () => stored,
  };
}
