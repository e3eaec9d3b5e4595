import { fork } from 'node:child_process'
import { once } from 'node:events'

/** Starts `file` (next to this one) as a child process; resolves to its first line of output and a close(). */
export async function startChild(file) {
  const child = fork(new URL(file, import.meta.url), { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  const [chunk] = await once(child.stdout, 'data')
  return { line: String(chunk).trim().split('\n')[0], close: () => child.disconnect() }
}
