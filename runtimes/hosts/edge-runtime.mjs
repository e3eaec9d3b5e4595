// Runs a bundled edge function in Vercel's edge-runtime, on an ephemeral loopback port.
// Usage: node edge-runtime.mjs <edge-runtime tools dir> <bundle.js>
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const [toolsDir, bundle] = process.argv.slice(2)
const { EdgeRuntime, runServer } = createRequire(join(toolsDir, 'package.json'))('edge-runtime')

const runtime = new EdgeRuntime({ initialCode: readFileSync(bundle, 'utf8') })
const server = await runServer({ runtime, host: '127.0.0.1', port: 0 })
console.log(`listening ${new URL(server.url).port}`)
const stop = () => server.close().finally(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
