/** What bin/claw-setup loads: the CLI and the error-to-exit-code mapping (bundled into dist/bundle). */
export { main } from './main.js';
export { describeError } from '../core/errors.js';
