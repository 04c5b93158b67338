// Imported first by main.tsx. Zod compiles fast parsers with `new Function` after probing
// whether it may; under the production page's CSP (`script-src 'self'`, no 'unsafe-eval':
// apps/api/src/http/spa.ts) that probe is reported as a violation on every page. The
// interpreted parsers are plenty fast for a form's worth of data.
import { z } from "zod";

z.config({ jitless: true });
