import { lambdaRuntime } from '../../shared/aws-runtime.js';
import { resyncUnsettled } from '../../shared/controller/resync.js';
import { log } from '../../shared/logger.js';

/** The resync function, on a schedule: re-enqueues every object a controller has not settled. */
export const handler = async (): Promise<{ enqueued: number }> => {
  const out = await resyncUnsettled(lambdaRuntime());
  log.info('resync sweep', out);
  return out;
};
