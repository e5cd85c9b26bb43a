import { z } from 'zod';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = { [key: string]: unknown };

interface ZodDef {
  readonly type: string;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
}

const defOf = (schema: unknown): ZodDef => (schema as { _zod: { def: ZodDef } })._zod.def;

function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/**
 * What a field accepts, from the checks of its pipe. The fields of `api/fields.ts` read text first (a string or a
 * number, `text`) and then check it (`.pipe(z.string().regex(…))`, `.pipe(z.literal('IDR'))`): zod's own input
 * schema of such a pipe stops at "string or number". Here the checks after the text are kept, so the document says
 * `maxLength`, `pattern`, `const`… (they apply to strings; a number is taken as its decimal text).
 */
function checksOf(schema: z.ZodType): JsonSchema {
  const def = defOf(schema);
  if (def.type === 'pipe' && def.in && def.out) {
    const after = defOf(def.out).type === 'transform' ? {} : checksOf(def.out);
    return { ...checksOf(def.in), ...after };
  }
  if (def.type === 'union' || def.type === 'transform') return {};
  return withoutDialect(z.toJSONSchema(schema, { io: 'output', target: 'draft-2020-12', unrepresentable: 'any' }));
}

function textFieldSchema(schema: z.ZodType): JsonSchema {
  const checks = checksOf(schema);
  // A fixed value (`IDR`, cancelType `1`/`2`) is documented as the string it is; anything else also takes a number.
  if ('const' in checks || 'enum' in checks) return checks;
  return { ...checks, type: ['string', 'number'] };
}

/** The JSON Schema of what a request schema accepts (zod's input side), the fields' checks included. */
export function requestJsonSchema(schema: z.ZodType): JsonSchema {
  return withoutDialect(
    z.toJSONSchema(schema, {
      io: 'input',
      target: 'draft-2020-12',
      unrepresentable: 'any',
      override: (ctx) => {
        if (defOf(ctx.zodSchema).type !== 'pipe') return;
        for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
        Object.assign(ctx.jsonSchema, textFieldSchema(ctx.zodSchema as unknown as z.ZodType));
      },
    }),
  );
}

/** The JSON Schema of a reply (zod's output side: exactly the fields the gateway sends). */
export function replyJsonSchema(schema: z.ZodType): JsonSchema {
  return withoutDialect(z.toJSONSchema(schema, { io: 'output', target: 'draft-2020-12', unrepresentable: 'throw' }));
}
