// Runs a bundled module worker in workerd through Miniflare, on an ephemeral loopback port.
// Usage: node miniflare.mjs <miniflare tools dir> <bundle.js>
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

const [toolsDir, bundle] = process.argv.slice(2)
const { Miniflare } = createRequire(join(toolsDir, 'package.json'))('miniflare')

const mf = new Miniflare({
  modules: true,
  scriptPath: resolve(bundle),
  compatibilityDate: '2026-07-30',
  host: '127.0.0.1',
  port: 0,
})
const url = await mf.ready
console.log(`listening ${url.port}`)
const stop = () => mf.dispose().finally(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
