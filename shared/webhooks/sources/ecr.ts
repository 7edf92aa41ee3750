/**
 * Amazon ECR "ECR Image Action" events delivered by an EventBridge API
 * destination. The Connection's header secret authenticates (verify.ts);
 * the EventBridge event id is the delivery id.
 */
import { PayloadError, type SourceParser, isDigest, isStr, parseJsonObject, tagRe } from './types.js';

const expected = 'an EventBridge event with source "aws.ecr", detail-type "ECR Image Action" and detail.repository-name';

export const parseEcr: SourceParser = (body) => {
  const o = parseJsonObject(body, expected);
  const d = o.detail;
  if (o.source !== 'aws.ecr' || !d || typeof d !== 'object' || !isStr(o.account) || !isStr(o.region)) throw new PayloadError(`unknown payload shape; expected ${expected}`);
  const idPart = isStr(o.id) ? { deliveryId: o.id.slice(0, 128) } : {};
  if (o['detail-type'] !== 'ECR Image Action') return { images: [], ignore: `detail-type ${String(o['detail-type'])}`, ...idPart };
  if (d['action-type'] !== 'PUSH' || d.result !== 'SUCCESS') return { images: [], ignore: `${String(d['action-type'])} ${String(d.result)}`, ...idPart };
  if (!isStr(d['repository-name'])) throw new PayloadError(`detail.repository-name is required; expected ${expected}`);
  if (!/^\d{12}$/.test(o.account) || !/^[a-z0-9-]+$/.test(o.region)) throw new PayloadError('account and region must be an AWS account id and region');
  const digest = isDigest(d['image-digest']) ? (d['image-digest'] as string) : undefined;
  const tag = d['image-tag'];
  if (!isStr(tag)) return { images: [], ignore: 'untagged image', ...idPart, ...(digest ? { digest } : {}) };
  if (!tagRe.test(tag)) throw new PayloadError('detail.image-tag is not a valid image tag');
  const repository = `${o.account}.dkr.ecr.${o.region}.amazonaws.com/${d['repository-name']}`.toLowerCase();
  return { images: [{ repository, tag, ...(digest ? { digest } : {}) }], ...(digest ? { digest } : {}), ...idPart };
};
