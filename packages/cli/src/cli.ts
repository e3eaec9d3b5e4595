import { main } from './main.js'

/** Waits until a stream has handed over everything written so far (pipes may be asynchronous). */
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()))

const context = {
  env: process.env,
  out: (text: string) => void process.stdout.write(`${text}\n`),
  err: (text: string) => void process.stderr.write(`${text}\n`),
  secrets: [],
  hints: {},
}

// Exit explicitly: a token cache may hold a refresh-ahead timer, and the answer is already out.
main(process.argv.slice(2), context).then(
  async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)])
    process.exit(code)
  },
  async (error: unknown) => {
    process.stderr.write(`carrier-auth: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`)
    await flushed(process.stderr)
    process.exit(1)
  },
)
