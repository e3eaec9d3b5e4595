export { recordStoreColumn, STORE_MATRIX_DIR } from './matrix-column.js'
export { closedPort, dropSchema, POSTGRES, postgresMissing, quietPool, silentServer, skipOrFailPostgres, startPostgresServer, uniqueSchema } from './postgres.js'
export { type OpenedStores, serverStoreSubject } from './server-subject.js'
