export type * from './backend/types.ts';
