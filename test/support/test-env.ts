import { setEnvironmentDefaults } from '../../src/config/env.ts';

/**
 * The suite's services — in this process (test/helpers/service.ts) and spawned as the Procfile
 * runs them (the e2e tests) — run without API keys and rate limits, so that tests about other
 * behaviour need no key; the suites about access (test/integration/api/access*.test.ts) turn
 * them on for their own services. A variable set by the caller wins.
 */
setEnvironmentDefaults({ AUTH: 'off', RATE_LIMIT: 'off' });
