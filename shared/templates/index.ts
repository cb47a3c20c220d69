/** Board templates: the records a new board starts with. */
export * from './templates'
