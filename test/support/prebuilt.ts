import { assumeBuilt } from '../../ops/lib/build.ts';

/**
 * Required (mocha --require) only by the mocha processes ops/test.ts starts, after it has built
 * dist/ itself: the end-to-end tests then run the compiled processes without building again. Two
 * lanes each building would rewrite dist/ (the copied migrations, say) while the other lane's
 * processes read it. Plain `npx mocha` does not load this, and builds as before.
 */
assumeBuilt();
