import { randomUUID } from 'node:crypto'
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'

/** The file's text, or undefined when it does not exist. */
export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Replaces the file's contents in one step: a reader (in any process) sees the old file or the
 * new one, never a mix. The text goes to a temporary file (mode 0600) in the same folder, which
 * is renamed over the target. With `durable`, the temporary file is fsynced before the rename and
 * the folder after it, so a power cut right after the call cannot bring back the old contents
 * (a rotated refresh token must not be lost); without it, the write is atomic but may be lost by
 * a crash of the machine (fine for lock leases: no holder survives a reboot).
 */
export async function writeAtomically(path: string, text: string, durable: boolean): Promise<void> {
  const folder = dirname(path)
  await mkdir(folder, { recursive: true, mode: 0o700 })
  const temp = `${path}.${randomUUID()}.tmp`
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(text)
    await handle.chmod(0o600) // the umask may have narrowed it; never wider than 0600
    if (durable) await handle.sync()
  } catch (error) {
    await handle.close()
    await unlink(temp).catch(() => {})
    throw error
  }
  await handle.close()
  try {
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => {})
    throw error
  }
  if (durable) await syncFolder(folder)
}

/** Makes a rename in `folder` durable. Some platforms cannot open a folder for that: skipped there. */
async function syncFolder(folder: string): Promise<void> {
  let handle
  try {
    handle = await open(folder, 'r')
    await handle.sync()
  } catch {
    // Windows (EISDIR/EPERM) and some network file systems refuse; the rename itself is still atomic.
  } finally {
    await handle?.close()
  }
}
