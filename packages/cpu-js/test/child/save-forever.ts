// Saves a large checkpoint to the path in argv[2] over and over, until killed.
import * as flint from '@flint/core';
import '../../src/index.ts';

await flint.setBackend('cpu-js');
const state = { w: flint.randn([64, 1024, 1024]) }; // 256 MiB: long enough to be killed mid-write
for (;;) await flint.save(state, process.argv[2]!);
