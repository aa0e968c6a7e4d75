import { createRequire } from 'node:module';

// Read from package.json (one level above both src/ and dist/) so the two never disagree.
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
