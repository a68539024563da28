import { anthropicProvider } from './anthropic/index.js';
import { azureOpenAIProvider } from './azure-openai/index.js';
import { geminiProvider } from './gemini/index.js';
import { mockProvider } from './mock/index.js';
import { openAICompatibleProvider } from './openai-compatible/index.js';
import type { ProviderDefinition } from './provider-definition.js';

/**
 * Every provider the gateway can speak to: the only list that names vendors. Adding one is a
 * folder exporting its definition, one line here, and its test calling the conformance suite
 * (`provider-list.test.ts` checks all three).
 */
export const PROVIDERS = [openAICompatibleProvider, azureOpenAIProvider, anthropicProvider, geminiProvider, mockProvider] as const;

export type ProviderId = (typeof PROVIDERS)[number]['id'];

export const PROVIDER_IDS = PROVIDERS.map((provider) => provider.id) as [ProviderId, ...ProviderId[]];

type UnionToIntersection<Union> = (Union extends unknown ? (value: Union) => void : never) extends (value: infer Both) => void ? Both : never;
type VendorOptionsShape = UnionToIntersection<(typeof PROVIDERS)[number]['options']>;

/** The vendor fields of every provider, merged: the deployment schema spreads this into its shape. */
export const VENDOR_OPTIONS_SHAPE = Object.assign({}, ...PROVIDERS.map((provider) => provider.options)) as VendorOptionsShape;

const BY_ID: ReadonlyMap<string, ProviderDefinition> = new Map(PROVIDERS.map((provider) => [provider.id, provider]));

/** The definition for a `provider:` value; undefined for an id no provider declares. */
export function findProvider(id: string): ProviderDefinition | undefined {
  return BY_ID.get(id);
}
