/**
 * A cap on the token requests one carrier client has in flight at once: a cold start of 100k
 * accounts opens at most this many connections, and the rest queue in arrival order. A slot is
 * held for one HTTP attempt only, never across a retry's backoff or a Retry-After, so an account
 * that is being rate limited or rejected does not hold up the others.
 */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 16

export interface RequestSlots {
  run<T>(attempt: () => Promise<T>): Promise<T>
}

export function requestSlots(limit: number): RequestSlots {
  let active = 0
  const waiting: (() => void)[] = []
  let head = 0
  const release = () => {
    if (head < waiting.length) {
      const next = waiting[head]!
      waiting[head++] = undefined as unknown as () => void
      // The queue's consumed front is dropped now and then, so it never grows with time.
      if (head > 1024 && head * 2 > waiting.length) {
        waiting.splice(0, head)
        head = 0
      }
      next()
    } else active--
  }
  return {
    async run(attempt) {
      if (active < limit) active++
      else await new Promise<void>((resolve) => waiting.push(resolve))
      try {
        return await attempt()
      } finally {
        release()
      }
    },
  }
}
