// Deno with bare specifiers from node_modules (package.json beside it).
import { createPostiAuth } from '@carrier-auth/posti'
import { createApp } from './app.mjs'

Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, createApp(createPostiAuth))
