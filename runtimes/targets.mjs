// Every runtime of the matrix: how to start the app on it. Versions come from versions.json only.
import { join } from 'node:path'
import { bin, tool, versions } from './tools.mjs'

const here = new URL('.', import.meta.url).pathname
const v = (name) => versions[name].version
const node = (major) => ({
  name: `Node ${v(`node${major}`)}`,
  start: (project) => [bin(`node${major}`), [join(project, 'app', 'node.mjs')]],
})
const denoFlags = ['run', '--quiet', '--allow-net', '--allow-read', '--allow-env', '--allow-sys']

export const targets = [
  node(20),
  node(22),
  node(24),
  { name: `Bun ${v('bun')}`, start: (project) => [bin('bun'), [join(project, 'app', 'bun.mjs')]] },
  {
    name: `Deno ${v('deno')} (npm: specifiers)`,
    start: (project) => [bin('deno'), [...denoFlags, '--node-modules-dir=manual', join(project, 'app', 'deno-npm.mjs')]],
  },
  {
    name: `Deno ${v('deno')} (node_modules)`,
    start: (project) => [bin('deno'), [...denoFlags, '--node-modules-dir=manual', join(project, 'app', 'deno.mjs')]],
  },
  {
    name: `workerd (Miniflare ${v('miniflare')}), waitUntil`,
    waitUntil: true,
    start: (project) => [bin('node24'), [join(here, 'hosts', 'miniflare.mjs'), tool('miniflare'), join(project, 'dist', 'worker.js')]],
  },
  {
    name: `workerd (Miniflare ${v('miniflare')}), no waitUntil`,
    foreground: true,
    start: (project) => [bin('node24'), [join(here, 'hosts', 'miniflare.mjs'), tool('miniflare'), join(project, 'dist', 'worker.js')]],
  },
  {
    name: `edge-runtime ${v('edge-runtime')}`,
    start: (project) => [bin('node24'), [join(here, 'hosts', 'edge-runtime.mjs'), tool('edge-runtime'), join(project, 'dist', 'edge.js')]],
  },
]
