/**
 * Imported first by main.tsx, before any module that builds or uses a zod
 * schema: zod's JIT probes `new Function`, which our Content-Security-Policy
 * (no 'unsafe-eval') refuses and reports.
 */
import { z } from 'zod'

z.config({ jitless: true })
