// Bun: its own server, the package from node_modules.
import { createPostiAuth } from '@carrier-auth/posti'
import { createApp } from './app.mjs'

const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: createApp(createPostiAuth) })
console.log(`listening ${server.port}`)
