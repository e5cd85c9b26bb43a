import { linkAjaDriver } from '../support/sandbox-redirect-harness.js';
import { directDebitSpecifics } from '../support/sandbox-direct-debit-suite.js';
import { redirectRestartSuite, redirectWalletSuite } from '../support/sandbox-redirect-suite.js';

redirectWalletSuite('LinkAja sandbox (SNAP Direct Debit, the standard)', linkAjaDriver, (ctx) => directDebitSpecifics('linkaja', ctx));

redirectRestartSuite('LinkAja sandbox across restarts', linkAjaDriver);
