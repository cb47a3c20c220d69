/**
 * Setup file of the `integration-postgres` vitest project (TEST_STORAGE=postgres):
 * every data dir a test file used got its own PostgreSQL database; drop them
 * once the file is done (registered first, so it runs after the file's own
 * afterAll hooks have stopped its servers).
 */
import { afterAll } from 'vitest'
import { dropTestDatabases } from './testStorage'

afterAll(dropTestDatabases, 60_000)
