import { lambdaRuntime } from '../../shared/aws-runtime.js';
import { handleControllerBatch } from '../../shared/controller/sqs-handler.js';
import type { SQSBatchResponse, SQSEvent } from '../../shared/controller/sqs-types.js';

/** The controller function: SQS batches of reconcile messages in, partial batch failures out. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => handleControllerBatch(lambdaRuntime(), event);
