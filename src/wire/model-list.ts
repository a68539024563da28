/** One model a client may use, as GET /v1/models lists it. */
export interface ListedModel {
  id: string;
  description?: string;
}

/**
 * GET /v1/models in the shape the asking SDK expects: Anthropic's paged list when the client sent
 * `anthropic-version`, OpenAI's list otherwise. `listedSince` is when this gateway started (ms).
 */
export function encodeModelList(models: readonly ListedModel[], listedSince: number, anthropic: boolean): Record<string, unknown> {
  if (anthropic) {
    const data = models.map((model) => ({
      type: 'model',
      id: model.id,
      display_name: model.description ?? model.id,
      created_at: new Date(listedSince).toISOString(),
    }));
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  }
  const created = Math.floor(listedSince / 1000);
  return { object: 'list', data: models.map((model) => ({ id: model.id, object: 'model', created, owned_by: 'switchyard' })) };
}
