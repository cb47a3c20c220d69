/**
 * Imported first by main.tsx, before any module that builds or uses a zod
 * schema: zod's JIT probes `new Function`, which our Content-Security-Policy
 * (no 'unsafe-eval') refuses and reports. Only zod's core config is imported
 * here so the landing page does not download all of zod.
 */
import { config } from 'zod/v4/core'

config({ jitless: true })
