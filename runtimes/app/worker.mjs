// Cloudflare Workers (workerd): a module worker. The auth lives at module scope, shared by every
// request the isolate serves; `waitUntil` from cloudflare:workers belongs to the calling request.
import { waitUntil } from 'cloudflare:workers'
import { createPostiAuth } from '@carrier-auth/posti'
import { createApp } from './app.mjs'

const handle = createApp(createPostiAuth, { backgroundTasks: waitUntil })

export default {
  fetch: (request) => handle(request),
}
