import jsonMergePatch from 'json-merge-patch';
import fastJsonPatch from 'fast-json-patch';
import { BadRequestError, RollwayError } from '../errors.js';
import type { BodyFormat } from './body.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

/**
 * applyPatch applies a PATCH body of the given format to the current object
 * and returns the patched copy; the original is never mutated.
 * Merge patch is RFC 7396, JSON patch RFC 6902 (both by well-kept libraries),
 * strategic merge patch Kubernetes' own dialect.
 */
export function applyPatch(current: unknown, patch: unknown, format: BodyFormat, kind: string): unknown {
  const base = structuredClone(current);
  switch (format) {
    case 'merge':
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new BadRequestError('a merge patch must be a JSON object');
      return jsonMergePatch.apply(base, patch);
    case 'strategic':
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new BadRequestError('a strategic merge patch must be a JSON object');
      return applyStrategicMergePatch(base, patch, kind);
    case 'jsonpatch': {
      if (!Array.isArray(patch)) throw new BadRequestError('a JSON patch must be a JSON array of operations');
      const notOp = patch.findIndex((op) => op === null || typeof op !== 'object' || Array.isArray(op));
      if (notOp >= 0) throw new BadRequestError(`the JSON patch is invalid: operation ${notOp} is not an object`);
      let invalid: unknown;
      try {
        invalid = fastJsonPatch.validate(patch as fastJsonPatch.Operation[], base as object);
      } catch (err) {
        invalid = err;
      }
      if (invalid) throw new RollwayError(422, 'Invalid', `the JSON patch is invalid: ${describeJsonPatchError(invalid)}`);
      try {
        return fastJsonPatch.applyPatch(base as object, patch as fastJsonPatch.Operation[], true, true).newDocument;
      } catch (err) {
        throw new RollwayError(422, 'Invalid', `the JSON patch could not be applied: ${describeJsonPatchError(err)}`);
      }
    }
    default:
      throw new BadRequestError(`unsupported patch type`);
  }
}

function describeJsonPatchError(err: unknown): string {
  const e = err as { name?: string; message?: string; index?: number; operation?: { op?: string; path?: string } };
  const first = (e.message ?? String(err)).split('\n')[0];
  const where = e.operation ? ` (operation ${e.index ?? '?'}: ${e.operation.op} ${e.operation.path})` : '';
  return `${first}${where}`;
}
