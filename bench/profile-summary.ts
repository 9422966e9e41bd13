/** Print the summary of a .cpuprofile: `tsx bench/profile-summary.ts <file> [top]`. */
import { summarise } from './lib/profile.js';

const file = process.argv[2];
if (!file) { console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]'); process.exit(2); }
const s = summarise(file, Number(process.argv[3] ?? 25));
console.log(`busy ${s.busy.toFixed(0)} ms of ${s.total.toFixed(0)} ms sampled\n\nBy area (self time):`);
for (const a of s.areas) console.log(`  ${a.pct.toFixed(1).padStart(5)}%  ${a.ms.toFixed(0).padStart(7)} ms  ${a.name}`);
console.log('\nTop functions (self time):');
for (const f of s.functions) console.log(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}  ${f.where}`);
