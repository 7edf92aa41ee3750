import type { ImageTriggerSource } from '../../schemas/image-trigger.js';
import type { SourceParser } from './types.js';
import { parseGeneric } from './generic.js';
import { parseDockerHub } from './dockerhub.js';
import { parseGitHub } from './github.js';
import { parseEcr } from './ecr.js';
import { parseHarbor } from './harbor.js';
import { parseQuay } from './quay.js';

export * from './types.js';

/** parsers maps each ImageTrigger source to its payload parser. */
export const parsers: Record<ImageTriggerSource, SourceParser> = {
  generic: parseGeneric,
  dockerhub: parseDockerHub,
  github: parseGitHub,
  ecr: parseEcr,
  harbor: parseHarbor,
  quay: parseQuay,
};
