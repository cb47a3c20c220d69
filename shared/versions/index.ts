/** Board versions: API schemas and the comparison of two exports. */
export * from './schema'
export * from './compare'
