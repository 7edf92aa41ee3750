// Placeholder entry so the CDK stack can bundle while the adapter is written; replaced by the real adapter.
export const handler = async (): Promise<void> => {
  throw new Error('not wired yet');
};
