// The Packly emulator in a process of its own: prints { url, credentials } as one JSON line.
import { startEmulator } from '@carrier-auth/conformance'

const emulator = await startEmulator('packly')
console.log(JSON.stringify({ url: emulator.url, credentials: emulator.credentials }))
process.on('disconnect', () => process.exit(0))
