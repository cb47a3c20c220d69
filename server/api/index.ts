/** The HTTP API (/api/…): boards (create from a template, import, export). */
export { createApiAuthorizer, type ApiAction, type Authorize, type AuthDecision } from './authorize'
export { registerBoardsApi, type BoardsApiContext } from './boardsApi'
export { boardCreatedResponse, type BoardCreatedResponse } from './responses'
