/** Board export format: schema, build, import, migrations and renderers. */
export * from './schema'
export * from './build'
export * from './migrations'
export * from './import'
export * from './csv'
export * from './markdown'
export * from './jsonSchema'
export { integerIndexKey } from './indexKeys'
