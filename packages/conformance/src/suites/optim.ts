import type { SuiteContext } from '../context.ts';

export function optimSuite(_ctx: SuiteContext): void {}
