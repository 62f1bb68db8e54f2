#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets another thread make a write that is still waiting for the ledger's lock give up (the
/// console's Esc). A write that already holds the lock is never stopped: it finishes durably.
public final class LockWait: @unchecked Sendable {
    // The flag is only read and written under the mutex.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var abandoned = false

    public init() {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Asks the waiting write to give up before it takes the lock.
    public func abandon() { set(true) }

    /// Clears the request, before the next write.
    public func reset() { set(false) }

    /// Whether giving up was asked for.
    public var isAbandoned: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return abandoned
    }

    private func set(_ value: Bool) {
        pthread_mutex_lock(mutex)
        abandoned = value
        pthread_mutex_unlock(mutex)
    }
}
