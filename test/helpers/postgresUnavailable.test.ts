/**
 * Stands in for the `integration-postgres` project on a machine where
 * PostgreSQL does not answer (outside CI; under CI=true the project runs and
 * fails instead): the report shows the suite as skipped, and why.
 */
import { describe, it } from 'vitest'

const reason = process.env.POSTGRES_SKIP_REASON ?? 'PostgreSQL unreachable'

describe.skip(`integration suite on PostgreSQL (skipped: ${reason})`, () => {
	it('runs every integration test with DATABASE_URL set (npm run test:integration:postgres)', () => {})
})
