// A loopback resource API in a process of its own (so the client's CPU is the client's alone):
// answers a small JSON body to a bearer header, 401 otherwise. Prints its port.
import { createServer } from 'node:http'

const server = createServer((req, res) => {
  const ok = (req.headers.authorization ?? '').startsWith('Bearer ')
  req.resume()
  req.on('end', () => {
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
    res.end(ok ? '{"ok":true}' : '{}')
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
process.on('disconnect', () => process.exit(0))
