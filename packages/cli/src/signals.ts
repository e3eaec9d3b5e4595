/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM, for commands that run until stopped
 * (emulate) or wait for someone (authorize). Only those commands install the handlers, so Ctrl-C
 * keeps its default meaning everywhere else.
 */
export function stopSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const stop = (name: NodeJS.Signals) => controller.abort(name)
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    },
  }
}

/** Resolves when the signal fires (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}
