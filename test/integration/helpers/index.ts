/** Reusable helpers for tests that talk to a real Workshop Board server. */
export * from './serverProcess'
export * from './syncClients'
export * from './rawSyncClient'
export * from './processMetrics'
export * from './sessionClient'
export * from './scripts'
export * from './boards'
export * from '../../helpers/testStorage'
