/** Tensor basics every backend must get right, one concern per file. */
import type { SuiteContext } from '../context.ts';
import { creationSuite } from './creation.ts';
import { randomSuite } from './random.ts';
import { viewSuite } from './views.ts';
import { dtypeSuite } from './dtypes.ts';
import { formatSuite } from './format.ts';
import { smallOpsSuite } from './small-ops.ts';

export function tensorSuite(ctx: SuiteContext): void {
  creationSuite(ctx);
  randomSuite(ctx);
  viewSuite(ctx);
  dtypeSuite(ctx);
  formatSuite(ctx);
  smallOpsSuite(ctx);
}
