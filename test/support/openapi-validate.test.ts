import { describe, expect, it } from 'vitest';
import { validateAgainstSchema, type OpenApiSpec } from './openapi-validate.js';

const spec: OpenApiSpec = {
  components: {
    schemas: {
      Message: {
        type: 'object',
        required: ['role', 'content'],
        properties: {
          role: { type: 'string', enum: ['user', 'assistant'] },
          content: { oneOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Part' } }] },
          name: { anyOf: [{ type: 'string', maxLength: 4 }, { type: 'null' }] },
        },
      },
      Part: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['text'] } } },
      Request: {
        allOf: [
          { type: 'object', properties: { temperature: { type: 'number', minimum: 0, maximum: 2, nullable: true } } },
          {
            type: 'object',
            additionalProperties: false,
            required: ['messages'],
            properties: {
              messages: { type: 'array', items: { $ref: '#/components/schemas/Message' } },
              n: { type: 'integer' },
              temperature: {},
              usage: { $ref: '#/components/schemas/Part', nullable: true },
            },
          },
        ],
      },
    },
  },
};

describe('validateAgainstSchema', () => {
  it('accepts a valid value, including nullable $ref siblings', () => {
    expect(
      validateAgainstSchema(spec, 'Request', {
        messages: [{ role: 'user', content: [{ type: 'text' }], name: null }],
        temperature: null,
        n: 2,
        usage: null,
      }),
    ).toEqual([]);
  });

  it('reports each violation with its path', () => {
    const errors = validateAgainstSchema(spec, 'Request', {
      messages: [{ role: 'robot', content: [] }, { content: 'x' }],
      temperature: 3,
      n: 1.5,
      extra: true,
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.messages\[0\]\.role: "robot" is not one of/),
        expect.stringMatching(/^\$\.messages\[0\]\.content: matches no oneOf alternative/),
        "$.messages[1]: missing required property 'role'",
        '$.temperature: 3 > maximum 2',
        '$.n: expected integer, got number',
        "$: unexpected property 'extra'",
      ]),
    );
  });

  it('enforces anyOf branches and exactly-one oneOf', () => {
    expect(validateAgainstSchema(spec, 'Message', { role: 'user', content: 'hi', name: 'toolong' })).toEqual([
      expect.stringMatching(/^\$\.name: matches no anyOf alternative/),
    ]);
    const ambiguous: OpenApiSpec = { components: { schemas: { X: { oneOf: [{ type: 'string' }, { type: 'string' }] } } } };
    expect(validateAgainstSchema(ambiguous, 'X', 'a')).toEqual(['$: matches 2 oneOf alternatives, expected exactly one']);
  });
});
