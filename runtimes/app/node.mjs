// Node (and any runtime with node:http): serves the app on an ephemeral loopback port.
import { createServer } from 'node:http'
import { createPostiAuth } from '@carrier-auth/posti'
import { createApp } from './app.mjs'

const handle = createApp(createPostiAuth)

const server = createServer(async (req, res) => {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks)
  const response = await handle(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers, body }))
  res.writeHead(response.status, Object.fromEntries(response.headers))
  res.end(Buffer.from(await response.arrayBuffer()))
})
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`))
