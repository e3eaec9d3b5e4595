// Vercel's edge-runtime: a service-worker style script, bundled like an edge function.
import { createPostiAuth } from '@carrier-auth/posti'
import { createApp } from './app.mjs'

const handle = createApp(createPostiAuth)

addEventListener('fetch', (event) => event.respondWith(handle(event.request)))
