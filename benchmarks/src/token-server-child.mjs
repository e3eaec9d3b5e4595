// A token server in its own process (so its memory never counts against the client's): any
// credentials get a token. Prints its port on stdout.
import http from 'node:http'
let issued = 0
const delayMs = Number(process.argv[2] ?? 0)
const server = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    const send = () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ access_token: `tok-${++issued}-${'x'.repeat(40)}`, token_type: 'bearer', expires_in: 3600 }))
    }
    if (delayMs) setTimeout(send, delayMs)
    else send()
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
