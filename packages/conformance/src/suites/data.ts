import type { SuiteContext } from '../context.ts';

export function dataSuite(_ctx: SuiteContext): void {}
