export * from './schema'
export * from './commentsDoc'
export * from './mentions'
export * from './reactions'
