// Stop on a loss that is no longer a number: once NaN or infinity enters the weights,
// every later step is wasted and every later checkpoint worthless. The message says
// where it happened and what usually fixes it, in words a non-programmer can act on.

export interface LossContext {
  epoch: number;
  batch: number;
}

/** Null while the loss is finite; otherwise the message to show and record. */
export function checkFinite(loss: number, context: LossContext): string | null {
  if (Number.isFinite(loss)) return null;
  const what = Number.isNaN(loss) ? 'NaN (not a number)' : loss > 0 ? 'infinite' : 'negative infinite';
  return (
    `training diverged at epoch ${context.epoch} batch ${context.batch}: the loss became ${what}; ` +
    'try a lower learning rate'
  );
}
