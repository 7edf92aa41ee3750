import { parseAllDocuments } from 'yaml';
import { BadRequestError, RequestEntityTooLargeError, UnsupportedMediaTypeError } from '../errors.js';
import { decodeKubernetesProtobuf } from './protobuf.js';

/** Request bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyFormat = 'json' | 'yaml' | 'protobuf' | 'strategic' | 'merge' | 'jsonpatch' | 'apply';

/** bodyFormat maps a Content-Type to how the body is decoded (and, for PATCH, applied). */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const ct = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  switch (ct) {
    case '':
    case 'application/json':
    case '*/*':
      return 'json';
    case 'application/yaml':
    case 'application/x-yaml':
    case 'text/yaml':
      return 'yaml';
    case 'application/vnd.kubernetes.protobuf':
      return 'protobuf';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/json-patch+json':
      return 'jsonpatch';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+json':
      return 'apply';
    default:
      throw new UnsupportedMediaTypeError(contentType ?? '');
  }
}

/**
 * readBody reads a request body up to `limit` bytes (default MAX_BODY_BYTES);
 * a larger one gets 413 without being buffered whole.
 */
export async function readBody(req: Request, limit = MAX_BODY_BYTES, tooLarge: () => Error = () => new RequestEntityTooLargeError(limit)): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Nesting deeper than this is refused: no Kubernetes object needs it, and it guards the parsers. */
const MAX_DEPTH = 100;

function checkDepth(value: unknown, depth = 0): void {
  if (depth > MAX_DEPTH) throw new BadRequestError(`the request body is nested more than ${MAX_DEPTH} levels deep`);
  if (value && typeof value === 'object') for (const v of Object.values(value)) checkDepth(v, depth + 1);
}

function jsonPosition(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  // "Unexpected end of JSON input" carries no position: the error is at the end.
  const pos = m ? Number(m[1]) : text.length;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `${err.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${col} (offset ${pos})`;
}

/** parseJsonText parses JSON with the parser's position in the error. */
export function parseJsonText(text: string): unknown {
  try {
    const v = JSON.parse(text);
    checkDepth(v);
    return v;
  } catch (err) {
    if (err instanceof BadRequestError) throw err;
    throw new BadRequestError(`the request body is not valid JSON: ${jsonPosition(text, err as Error)}`);
  }
}

/** parseYamlText parses one YAML document, reporting the parser's line and column. */
export function parseYamlText(text: string): unknown {
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch (err) {
    throw new BadRequestError(`the request body is not valid YAML: ${(err as Error).message}`);
  }
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length !== 1) throw new BadRequestError(`the request body must hold exactly one YAML document, found ${list.length}`);
  const doc = list[0];
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    throw new BadRequestError(`the request body is not valid YAML: ${e.message.split('\n')[0]}${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}`);
  }
  let v: unknown;
  try {
    v = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    // Alias expansion beyond the limit ("billion laughs") and other conversion failures.
    throw new BadRequestError(`the request body is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  checkDepth(v);
  return v;
}

/** decodeBody turns raw bytes into a JSON value according to the body format. */
export function decodeBody(bytes: Uint8Array, format: BodyFormat): unknown {
  if (format === 'protobuf') return decodeKubernetesProtobuf(bytes);
  if (bytes.byteLength === 0) throw new BadRequestError('the request body is empty');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequestError('the request body is not valid UTF-8');
  }
  if (format === 'yaml' || format === 'apply') return parseYamlText(text);
  return parseJsonText(text);
}
