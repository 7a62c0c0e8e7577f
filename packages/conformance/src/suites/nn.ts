import type { SuiteContext } from '../context.ts';

export function nnSuite(_ctx: SuiteContext): void {}
