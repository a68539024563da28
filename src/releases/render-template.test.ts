import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../assembly/config-schema.js';
import { applyRelease } from './apply-release.js';
import { releaseIdOf, snapshotRelease } from './release-content.js';
import { parseTemplateReference, renderTemplateMessages, resolveTemplate } from './render-template.js';
import { templateRequestFrom } from '../wire/openai/template-request.js';

const config = configSchema.parse({
  deployments: [{ id: 'd1', tier: 'on-prem', provider: 'mock', models: { chat: 'chat-2026-11' } }],
  models: [{ alias: 'assistant', targets: [{ deployment: 'd1', model: 'chat' }] }],
  releases: {
    templates: [
      { name: 'answer', version: '1', labels: ['staging'], messages: [{ role: 'system', content: '你是{{dept}}的助理。' }] },
      { name: 'answer', version: '2', labels: ['production', 'canary'], messages: [{ role: 'developer', content: 'You help {{ dept }}; ask: {{question}}' }] },
    ],
    tools: [{ alias: 'assistant', allow: ['lookup'], schemas: { lookup: { type: 'object', properties: { q: { type: 'string' } } } } }],
  },
});
const content = snapshotRelease(config);
const id = releaseIdOf(content);

describe('prompt templates', () => {
  it('resolves versions and labels; unknown ones are 400s naming what exists', () => {
    expect(resolveTemplate(content, parseTemplateReference('answer@1'), id).version).toBe('1');
    expect(resolveTemplate(content, parseTemplateReference('answer@canary'), id).version).toBe('2');
    expect(resolveTemplate(content, parseTemplateReference('answer'), id).version).toBe('2');
    expect(() => resolveTemplate(content, parseTemplateReference('answer@9'), id)).toThrow(/versions: 1, 2; labels: staging, production, canary/);
    expect(() => resolveTemplate(content, parseTemplateReference('nope@1'), id)).toThrow(/it has: answer/);
    expect(() => parseTemplateReference('a b@1')).toThrow(/name@version/);
  });

  it('renders zh-TW and English, developer as system, and names every missing variable', () => {
    const [zh] = renderTemplateMessages([{ role: 'system', content: '你是{{dept}}的助理。' }], { dept: '護理部' }, 'answer@1');
    expect(zh?.content[0]).toEqual({ type: 'text', text: '你是護理部的助理。' });
    const [en] = renderTemplateMessages([{ role: 'developer', content: 'You help {{ dept }}; ask: {{question}}' }], { dept: 'Radiology', question: 'MRI?' }, 'answer@2');
    expect(en?.role).toBe('system');
    expect(() => renderTemplateMessages([{ role: 'user', content: '{{a}} {{b}} {{a}}' }], {}, 'x@1')).toThrow(/variable\(s\) a, b;/);
  });

  it('never expands a placeholder that arrives inside a variable (no injection into other variables)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (first, second) => {
        const [message] = renderTemplateMessages([{ role: 'user', content: '[{{a}}]({{b}})' }], { a: first, b: second }, 't@1');
        expect(message?.content[0]).toEqual({ type: 'text', text: `[${first}](${second})` });
      }),
    );
    const [message] = renderTemplateMessages([{ role: 'user', content: '{{a}}|{{secret}}' }], { a: '{{secret}}', secret: 'S' }, 't@1');
    expect(message?.content[0]).toEqual({ type: 'text', text: '{{secret}}|S' });
  });

  it('reads metadata.template and variables (object or JSON string) and rejects malformed ones', () => {
    expect(templateRequestFrom({ metadata: { template: 'answer@2', variables: '{"dept":"IT","n":3}' } })).toEqual({ reference: 'answer@2', variables: { dept: 'IT', n: '3' } });
    expect(templateRequestFrom({ metadata: { template: 'answer', variables: { dept: 'IT' } } })?.variables).toEqual({ dept: 'IT' });
    expect(templateRequestFrom({ metadata: { user_tag: 'x' } })).toBeUndefined();
    expect(() => templateRequestFrom({ metadata: { template: 7 } })).toThrow(/must be a string/);
    expect(() => templateRequestFrom({ metadata: { template: 'a', variables: '{oops' } })).toThrow(/JSON-encoded/);
    expect(() => templateRequestFrom({ metadata: { template: 'a', variables: { x: { y: 1 } } } })).toThrow(/metadata.variables.x/);
  });
});

describe('applyRelease', () => {
  const alias = config.models[0]!;
  const request = { model: 'assistant', stream: false, messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };
  const choice = { release: { id, content }, role: 'production' as const };

  it('prepends the rendered template and reports name@version, pins and KB label', () => {
    const served = applyRelease(choice, alias, request, { reference: 'answer@production', variables: { dept: 'IT', question: 'q' } });
    expect(served.facts).toEqual({ releaseId: id, role: 'production', template: 'answer@2' });
    expect(served.request.messages).toHaveLength(2);
    expect(content.aliases.assistant?.pins[0]?.upstreamModel).toBe('chat-2026-11');
  });

  it('enforces the tool allow-list and the pinned schema', () => {
    const tool = (name: string, parameters: Record<string, unknown>) => ({ ...request, tools: [{ name, parameters: parameters as never }] });
    expect(() => applyRelease(choice, alias, tool('shell', {}), undefined)).toThrow(/not on the allow-list/);
    expect(() => applyRelease(choice, alias, tool('lookup', { type: 'object' }), undefined)).toThrow(/differ from the JSON schema/);
    expect(() => applyRelease(choice, alias, tool('lookup', { properties: { q: { type: 'string' } }, type: 'object' }), undefined)).not.toThrow();
  });

  it('does not serve an alias the release does not govern', () => {
    expect(() => applyRelease(choice, { ...alias, alias: 'other' }, request, undefined)).toThrow(/does not exist/);
  });

  it('is content-addressed: key order does not change the id, a model version does', () => {
    const reordered = snapshotRelease({ ...config, models: [{ ...alias, targets: [...alias.targets] }] });
    expect(releaseIdOf(reordered)).toBe(id);
    const bumped = configSchema.parse({ ...config, deployments: [{ id: 'd1', tier: 'on-prem', provider: 'mock', models: { chat: 'chat-2026-12' } }] });
    expect(releaseIdOf(snapshotRelease(bumped))).not.toBe(id);
  });
});

describe('releases config', () => {
  it('reports a template version defined twice, a label on two versions and an alias listed twice', () => {
    const result = configSchema.safeParse({
      deployments: [{ id: 'd', tier: 'on-prem', provider: 'mock' }],
      models: [{ alias: 'a', targets: [{ deployment: 'd', model: 'm' }] }],
      releases: {
        templates: [
          { name: 't', version: '1', labels: ['production'], messages: [{ role: 'system', content: 'x' }] },
          { name: 't', version: '1', messages: [{ role: 'system', content: 'y' }] },
          { name: 't', version: '2', labels: ['production'], messages: [{ role: 'system', content: 'z' }] },
        ],
        tools: [{ alias: 'a', allow: [] }, { alias: 'a', allow: ['x'] }],
      },
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
    expect(messages).toEqual([
      'releases.templates.1.version: prompt template t@1 is defined twice',
      "releases.templates.2.labels: label 'production' of t is already on version 1",
      "releases.tools.1.alias: alias 'a' is listed twice",
    ]);
  });
});
