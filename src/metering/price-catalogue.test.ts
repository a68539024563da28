import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import catalogueFile from './price-catalogue.json' with { type: 'json' };
import { builtinPriceCatalogue, createPriceCatalogue, priceCatalogueSchema } from './price-catalogue.js';
import { costOfUsage, createPriceTable } from './price-table.js';

const catalogue = builtinPriceCatalogue();

describe('the shipped price catalogue', () => {
  it('validates, and every row says where its figure comes from and when', () => {
    expect(priceCatalogueSchema.safeParse(catalogueFile).success).toBe(true);
    for (const row of [...catalogue.file.models, ...catalogue.file.tools]) {
      expect(row.source, JSON.stringify(row)).toMatch(/https:\/\/|cost-defaults\.md|platform\.claude\.com|docs\./);
      expect(row.as_of <= catalogue.compiled, `${JSON.stringify(row)} is dated after the catalogue`).toBe(true);
    }
  });

  it('covers OpenAI, Azure OpenAI, Anthropic, Gemini/Vertex, Bedrock and Mistral: chat, cached input, embeddings and per-call tools', () => {
    const vendors = new Set(catalogue.file.models.flatMap((row) => row.vendors));
    for (const vendor of ['openai', 'azure-openai', 'anthropic', 'gemini', 'vertex', 'bedrock', 'mistral']) expect(vendors, vendor).toContain(vendor);
    // Anthropic sells no embedding model (it points to Voyage AI).
    for (const vendor of ['openai', 'gemini', 'mistral', 'bedrock']) {
      expect(catalogue.file.models.some((row) => row.vendors.includes(vendor) && row.kind === 'embedding'), `${vendor} embeddings`).toBe(true);
    }
    expect(catalogue.file.models.filter((row) => row.cached_input_per_million !== undefined).length).toBeGreaterThan(10);
    expect(new Set(catalogue.file.tools.map((row) => row.vendor))).toEqual(new Set(['openai', 'anthropic', 'gemini', 'bedrock', 'mistral']));
    for (const row of catalogue.file.models) {
      if (row.cached_input_per_million !== undefined) expect(row.cached_input_per_million).toBeLessThanOrEqual(row.input_per_million);
      if (row.kind === 'chat') expect(row.output_per_million, row.model).toBeGreaterThan(0);
    }
  });

  it('finds models under the names clouds give them', () => {
    const names: Array<[string, string]> = [
      ['gpt-4o-mini', 'gpt-4o-mini'],
      ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
      ['GPT-4o', 'gpt-4o'],
      ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
      ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
      ['anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku'],
      ['claude-3-5-sonnet@20240620', 'claude-sonnet-4-5'],
      ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
      ['mistral-large-latest', 'mistral-large'],
      ['mistral-small-2503', 'mistral-small'],
      ['amazon.titan-embed-text-v2:0', 'titan-embed-text-v2'],
      ['text-embedding-3-small', 'text-embedding-3-small'],
    ];
    for (const [name, row] of names) expect(catalogue.lookup(name)?.model, name).toBe(row);
    expect(catalogue.lookup('my-finetune')).toBeUndefined();
    expect(catalogue.lookup('gpt-4o-mini-search-preview')?.per_call_usd).toBeGreaterThan(0);
  });

  it('refuses a catalogue that prices one name twice', () => {
    const twice = { ...catalogueFile, models: [...catalogueFile.models, { ...catalogueFile.models[0]!, model: 'other', aliases: ['GPT-6'] }] };
    expect(priceCatalogueSchema.safeParse(twice).success).toBe(false);
  });

  it('config prices override the catalogue; long-context and per-call prices are charged', () => {
    const table = createPriceTable(
      { prices: [{ deployment: 'azure', model: 'gpt-4o-mini', input_per_million: 1, output_per_million: 2 }], fixed_costs: [] },
      { catalogue, deployments: [{ id: 'azure', tier: 'private-cloud' }] },
    );
    expect(table.priceFor('azure', 'gpt-4o-mini')).toMatchObject({ input: 1, output: 2, source: { kind: 'config' } });
    expect(table.priceFor('azure', 'gpt-4o')).toMatchObject({ input: 2.5, source: { kind: 'catalogue' } });
    const search = table.priceFor('azure', 'gpt-4o-search-preview');
    expect(costOfUsage({ inputTokens: 0, outputTokens: 0 }, search)).toBeCloseTo(0.035, 10);
    const long = table.priceFor('azure', 'gemini-2.5-pro');
    expect(costOfUsage({ inputTokens: 300_000, outputTokens: 0 }, long)).toBeCloseTo(0.75, 10);
    expect(costOfUsage({ inputTokens: 100_000, outputTokens: 0 }, long)).toBeCloseTo(0.125, 10);
  });

  it('knows its age from an injected clock', () => {
    const file = { ...catalogue.file, compiled: '2026-01-01' };
    expect(createPriceCatalogue(file, 'test').ageDays(new Date('2026-01-31T12:00:00Z'))).toBe(30);
  });

  it('docs/prices.md names the shipped version and every vendor', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../docs/prices.md'), 'utf8');
    expect(doc).toContain(catalogue.version);
    for (const vendor of ['OpenAI', 'Azure OpenAI', 'Anthropic', 'Gemini', 'Vertex', 'Bedrock', 'Mistral']) expect(doc).toContain(vendor);
    expect(doc).toContain('switchyard prices info');
  });
});

const REFERENCE = resolve(import.meta.dirname, '../../../shared/reference/cost-defaults.md');

describe('figures taken from shared/reference/cost-defaults.md', () => {
  if (!existsSync(REFERENCE)) {
    if (process.env.CI === 'true') throw new Error(`${REFERENCE} is required in CI`);
    it.skip('reference file absent (../shared is only beside checkouts on the team machines)', () => undefined);
    return;
  }
  const reference = readFileSync(REFERENCE, 'utf8');
  const line = (label: string) => reference.split('\n').find((text) => text.includes(label)) ?? '';
  it('match the reference rows they cite', () => {
    const rows: Array<[string, string]> = [
      ['GPT-6.1 Sol', 'gpt-6.1-sol'],
      ['GPT-6 Luna', 'gpt-6-luna'],
      ['Claude Fable 5.1', 'claude-fable-5-1'],
      ['Opus 5.5', 'claude-opus-5-5'],
      ['Haiku 4.5', 'claude-haiku-4-5'],
      ['Gemini 3.1 Pro Preview', 'gemini-3.1-pro-preview'],
    ];
    for (const [label, model] of rows) {
      const row = catalogue.lookup(model)!;
      const numbers = line(label).split('|').slice(2, 5).map((cell) => Number.parseFloat(cell.trim()));
      expect([row.input_per_million, row.output_per_million], label).toEqual(numbers.slice(0, 2));
      if (row.cached_input_per_million !== undefined) expect(row.cached_input_per_million, label).toBe(numbers[2]);
    }
  });
});
