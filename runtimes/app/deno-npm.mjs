// Deno with npm: specifiers (resolved from the project's node_modules: the packed packages are on no registry).
import { createPostiAuth } from 'npm:@carrier-auth/posti'
import { createApp } from './app.mjs'

Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, createApp(createPostiAuth))
