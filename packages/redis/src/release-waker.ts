type Listener = (...args: any[]) => void

/** What the waker needs of the subscriber connection (an ioredis `Redis` or `Cluster`). */
interface Subscriber {
  subscribe(channel: string): Promise<unknown>
  unsubscribe(channel: string): Promise<unknown>
  on(event: 'message' | 'error', listener: Listener): unknown
  disconnect(): void
}

/** What the waker needs of the user's client: a way to open a second connection like it. */
export interface Duplicable {
  duplicate(): unknown
}

/** One waiter's view of a channel: woken by every release published on it. */
export interface Subscription {
  /** Forgets releases seen so far (call right before trying the lock). */
  reset(): void
  /** Resolves 'woken' on a release since the last reset, or 'timer' after `ms`; rejects on abort. */
  next(ms: number, signal?: AbortSignal): Promise<'woken' | 'timer'>
  leave(): void
}

interface Channel {
  waiters: Set<Waiter>
  active: Promise<boolean>
}

interface Waiter {
  released: boolean
  wake?: () => void
}

/**
 * Wakes lock waiters when the holder releases: the unlock script PUBLISHes on the lock's channel
 * and one subscriber connection per store (a `duplicate()` of the user's client, opened while
 * someone waits and closed when nobody does) hands the news to every waiter of this process.
 * Plain PUBLISH reaches every node of a Redis Cluster, so a subscriber on any node hears it.
 * Pub/sub is a hint: a waiter that is not subscribed, or misses a message, still wakes on its
 * fallback timer (never later than the holder's remaining lease).
 */
export class ReleaseWaker {
  #subscriber: Subscriber | undefined
  readonly #channels = new Map<string, Channel>()

  constructor(
    private readonly client: Duplicable,
    private readonly timeoutMs: number,
  ) {}

  /** Subscribes to `channel`; undefined when pub/sub is not available (the waiter then polls). */
  async join(channel: string): Promise<Subscription | undefined> {
    let subscriber: Subscriber
    try {
      subscriber = this.#subscriber ??= this.#open()
    } catch {
      return undefined // a client that cannot be duplicated: poll
    }
    let entry = this.#channels.get(channel)
    if (!entry) {
      entry = { waiters: new Set(), active: this.#subscribe(subscriber, channel) }
      this.#channels.set(channel, entry)
    }
    const waiter: Waiter = { released: false }
    entry.waiters.add(waiter)
    const subscription: Subscription = {
      reset: () => {
        waiter.released = false
      },
      next: (ms, signal) =>
        new Promise((resolve, reject) => {
          if (signal?.aborted) return reject(signal.reason)
          if (waiter.released) return resolve('woken')
          const done = () => {
            clearTimeout(timer)
            waiter.wake = undefined
            signal?.removeEventListener('abort', onAbort)
          }
          const onAbort = () => {
            done()
            reject(signal?.reason)
          }
          const timer = setTimeout(() => {
            done()
            resolve('timer')
          }, ms)
          waiter.wake = () => {
            done()
            resolve('woken')
          }
          signal?.addEventListener('abort', onAbort, { once: true })
        }),
      leave: () => this.#leave(channel, waiter),
    }
    if (await entry.active) return subscription
    subscription.leave()
    return undefined
  }

  #open(): Subscriber {
    const subscriber = this.client.duplicate() as Subscriber
    subscriber.on('error', () => {}) // our own connection: failures only mean "poll instead"
    subscriber.on('message', (channel: string) => {
      for (const waiter of this.#channels.get(channel)?.waiters ?? []) {
        waiter.released = true
        waiter.wake?.()
      }
    })
    return subscriber
  }

  /** True once Redis confirmed the subscription, false when it did not within the time limit. */
  async #subscribe(subscriber: Subscriber, channel: string): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const confirmed = await Promise.race([
      subscriber.subscribe(channel).then(
        () => true,
        () => false,
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.timeoutMs))),
    ])
    clearTimeout(timer)
    return confirmed
  }

  #leave(channel: string, waiter: Waiter): void {
    const entry = this.#channels.get(channel)
    if (!entry?.waiters.delete(waiter) || entry.waiters.size > 0) return
    this.#channels.delete(channel)
    if (this.#channels.size === 0 && this.#subscriber) {
      // Nobody waits: close the connection rather than keep a socket (and the process) alive.
      this.#subscriber.disconnect()
      this.#subscriber = undefined
    } else {
      this.#subscriber?.unsubscribe(channel).catch(() => {})
    }
  }
}
