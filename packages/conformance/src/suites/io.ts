import type { SuiteContext } from '../context.ts';

export function ioSuite(_ctx: SuiteContext): void {}
