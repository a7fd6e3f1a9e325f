import type { ApiScope } from '../../platform/http/api.js';

/**
 * The API reference (/api/docs) read from the OpenAPI document the routes' zod schemas make, so
 * the page cannot drift from what the API validates: every operation by tag, its parameters, the
 * fields of its request body and of its answers, walked from their JSON Schemas.
 */

type Schema = Record<string, unknown>;
interface OpenApiDocument {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One field of a body or answer, with the fields inside it (an object's, or an array's items'). */
export interface FieldDoc {
  name: string;
  type: string;
  required: boolean;
  description: string | null;
  /** "1 to 80 characters", "one of: open, approval", "default: 25". */
  rules: string[];
  fields: FieldDoc[];
}

export interface ParameterDoc extends FieldDoc {
  in: 'path' | 'query' | 'header' | 'cookie';
}

export interface ResponseDoc {
  status: string;
  description: string;
  /** The answer's type, when it is not an object of fields ("array of Group"), else null. */
  type: string | null;
  fields: FieldDoc[];
}

export interface OperationDoc {
  /** The anchor: "get-api-v1-groups-slug". */
  id: string;
  method: string;
  path: string;
  tag: string;
  summary: string | null;
  description: string | null;
  scope: ApiScope;
  parameters: ParameterDoc[];
  body: { type: string | null; fields: FieldDoc[]; example: unknown } | null;
  responses: ResponseDoc[];
}

export interface TagDoc {
  name: string;
  id: string;
  operations: OperationDoc[];
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** A schema can name itself through $ref; past this depth a field is named, not opened. */
const MAX_DEPTH = 6;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

export function anchorOf(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-|-$/gu, '');
}

/** Reads the whole document into tags of operations, in the order of their paths. */
export function readReference(doc: OpenApiDocument): TagDoc[] {
  const schemas = doc.components?.schemas ?? {};
  const resolve = (s: unknown): Schema => {
    if (!isObject(s)) return {};
    const ref = text(s.$ref);
    if (ref?.startsWith('#/components/schemas/')) {
      const target = schemas[ref.slice('#/components/schemas/'.length)];
      // A $ref beside other keywords (a description) keeps them.
      return { ...(target ?? {}), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) };
    }
    return s;
  };
  const walker = new SchemaWalker(resolve);
  const tags = new Map<string, OperationDoc[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of methods) {
      const op = item[method];
      if (!isObject(op)) continue;
      const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : 'Other';
      const operation = walker.operation(method, path, tag, op);
      tags.set(tag, [...(tags.get(tag) ?? []), operation]);
    }
  }
  return [...tags.entries()].map(([name, operations]) => ({ name, id: `tag-${anchorOf(name)}`, operations }));
}

/** The scope an operation needs: named in its security requirement, else by its method. */
function scopeOf(method: string, op: Schema): ApiScope {
  const security = Array.isArray(op.security) ? op.security : [];
  for (const requirement of security) {
    const scopes = isObject(requirement) ? requirement.bearer : undefined;
    const first = Array.isArray(scopes) ? scopes[0] : undefined;
    if (first === 'read' || first === 'write' || first === 'moderate' || first === 'admin') return first;
  }
  return method === 'get' ? 'read' : 'write';
}

class SchemaWalker {
  constructor(private readonly resolve: (s: unknown) => Schema) {}

  operation(method: string, path: string, tag: string, op: Schema): OperationDoc {
    const parameters = (Array.isArray(op.parameters) ? op.parameters : []).filter(isObject).map((p) => {
      const schema = this.resolve(p.schema);
      const field = this.field(String(p.name), schema, p.required === true, 0);
      return {
        ...field,
        description: text(p.description) ?? field.description,
        in: (['path', 'query', 'header', 'cookie'].includes(String(p.in)) ? p.in : 'query') as ParameterDoc['in'],
      };
    });
    const requestBody = isObject(op.requestBody) ? op.requestBody : null;
    const bodySchema = requestBody ? this.jsonSchemaOf(requestBody.content) : null;
    const responses = Object.entries(isObject(op.responses) ? op.responses : {}).map(([status, r]) => {
      const response = isObject(r) ? r : {};
      const schema = this.jsonSchemaOf(response.content);
      return {
        status,
        description: text(response.description) ?? '',
        ...(schema ? this.shape(schema) : { type: null, fields: [] }),
      };
    });
    return {
      id: anchorOf(`${method} ${path}`),
      method: method.toUpperCase(),
      path,
      tag,
      summary: text(op.summary),
      description: text(op.description),
      scope: scopeOf(method, op),
      parameters,
      body: bodySchema ? { ...this.shape(bodySchema), example: this.example(bodySchema, 0) } : null,
      responses,
    };
  }

  private jsonSchemaOf(content: unknown): Schema | null {
    if (!isObject(content)) return null;
    const media = content['application/json'] ?? Object.values(content)[0];
    return isObject(media) && isObject(media.schema) ? this.resolve(media.schema) : null;
  }

  /** A body or answer: its fields when it is an object, else its type. */
  private shape(schema: Schema): { type: string | null; fields: FieldDoc[] } {
    const fields = this.fieldsOf(schema, 0);
    return fields.length > 0 ? { type: null, fields } : { type: this.typeName(schema, 0), fields };
  }

  /** The schema without `null` in a nullable union: what the field holds when it holds something. */
  private nonNull(schema: Schema): Schema {
    const union = (schema.anyOf ?? schema.oneOf) as unknown;
    if (Array.isArray(union)) {
      const rest = union.map((s) => this.resolve(s)).filter((s) => s.type !== 'null');
      if (rest.length === 1) return { ...rest[0], description: schema.description ?? rest[0]!.description };
    }
    return schema;
  }

  private fieldsOf(schema: Schema, depth: number): FieldDoc[] {
    if (depth > MAX_DEPTH) return [];
    const s = this.nonNull(schema);
    if (s.type === 'array' || isObject(s.items)) return this.fieldsOf(this.resolve(s.items), depth + 1);
    if (!isObject(s.properties)) return [];
    const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
    return Object.entries(s.properties).map(([name, p]) =>
      this.field(name, this.resolve(p), required.has(name), depth + 1),
    );
  }

  private field(name: string, schema: Schema, required: boolean, depth: number): FieldDoc {
    return {
      name,
      type: this.typeName(schema, depth),
      required,
      description: text(schema.description) ?? text(this.nonNull(schema).description),
      rules: this.rules(this.nonNull(schema)),
      fields: this.fieldsOf(schema, depth),
    };
  }

  typeName(schema: Schema, depth: number): string {
    if (depth > MAX_DEPTH) return 'object';
    const union = (schema.anyOf ?? schema.oneOf) as unknown;
    if (Array.isArray(union)) {
      const names = union.map((s) => this.typeName(this.resolve(s), depth + 1));
      return [...new Set(names)].join(' or ');
    }
    if ('const' in schema) return JSON.stringify(schema.const);
    const types = [schema.type].flat().filter((t): t is string => typeof t === 'string');
    const names = types.map((type) => {
      if (type === 'array') return `array of ${this.typeName(this.resolve(schema.items), depth + 1)}`;
      if (type === 'string' && typeof schema.format === 'string') return `string (${schema.format})`;
      return type;
    });
    if (names.length > 0) return names.join(' or ');
    if (Array.isArray(schema.enum)) return 'string';
    return isObject(schema.properties) ? 'object' : 'any';
  }

  private rules(s: Schema): string[] {
    const rules: string[] = [];
    const range = (min: unknown, max: unknown, unit: string) => {
      const lo = typeof min === 'number' ? min : null;
      const hi = typeof max === 'number' ? max : null;
      if (lo !== null && hi !== null) rules.push(`${lo} to ${hi}${unit}`);
      else if (lo !== null) rules.push(`at least ${lo}${unit}`);
      else if (hi !== null) rules.push(`at most ${hi}${unit}`);
    };
    range(s.minLength, s.maxLength, ' characters');
    range(s.minItems, s.maxItems, ' items');
    range(s.minimum ?? s.exclusiveMinimum, s.maximum ?? s.exclusiveMaximum, '');
    if (Array.isArray(s.enum)) rules.push(`one of: ${s.enum.map((v) => String(v)).join(', ')}`);
    if (typeof s.pattern === 'string') rules.push(`matches ${s.pattern}`);
    if ('default' in s) rules.push(`default: ${JSON.stringify(s.default)}`);
    return rules;
  }

  /** A value that passes the schema, for curl examples: examples and defaults first, then something plain. */
  example(schema: Schema, depth: number, name = ''): unknown {
    const s = this.nonNull(schema);
    if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
    if ('default' in s) return s.default;
    if ('const' in s) return s.const;
    if (Array.isArray(s.enum)) return s.enum[0];
    const type = [s.type].flat()[0];
    if (depth > MAX_DEPTH) return null;
    if (type === 'object' || isObject(s.properties)) {
      const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
      const props = Object.entries(isObject(s.properties) ? s.properties : {});
      return Object.fromEntries(
        props.filter(([k]) => required.has(k)).map(([k, p]) => [k, this.example(this.resolve(p), depth + 1, k)]),
      );
    }
    if (type === 'array') return [this.example(this.resolve(s.items), depth + 1, name)];
    if (type === 'integer' || type === 'number') return typeof s.minimum === 'number' ? s.minimum : 1;
    if (type === 'boolean') return false;
    if (s.format === 'date-time') return '2026-01-31T18:00:00Z';
    if (s.format === 'date') return '2026-01-31';
    if (/body|text|message|reply/iu.test(name)) return 'Thank you for sharing this. It helped me today.';
    if (/title|name|subject/iu.test(name)) return 'Getting through the first week';
    return 'text';
  }
}
