#if GATEHOUSE_TSAN
import Glibc
#else
public import Synchronization
#endif

/// A value behind a lock: the one lock type of Gatehouse, with `Mutex`'s API.
///
/// It is `Synchronization.Mutex`, except in ThreadSanitizer builds (`make sanitize` compiles with
/// `-DGATEHOUSE_TSAN`): there it is a `pthread_mutex_t`, because on Linux `Mutex` locks with futexes in
/// the uninstrumented standard library, which ThreadSanitizer cannot see, so it reported every value a
/// `Mutex` guards as a data race (a two-thread `Mutex` counter is enough to show it).
public struct Locked<Value: ~Copyable>: ~Copyable, Sendable {
    #if GATEHOUSE_TSAN
    private let storage: PthreadStorage<Value>
    #else
    private let mutex: Mutex<Value>
    #endif

    /// A lock guarding `initialValue`.
    public init(_ initialValue: consuming sending Value) {
        #if GATEHOUSE_TSAN
        storage = PthreadStorage(initialValue)
        #else
        mutex = Mutex(initialValue)
        #endif
    }

    /// Runs `body` with the value, under the lock.
    public borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        #if GATEHOUSE_TSAN
        try storage.withLock(body)
        #else
        try mutex.withLock(body)
        #endif
    }
}

#if GATEHOUSE_TSAN
/// The ThreadSanitizer build's storage: a pthread mutex ThreadSanitizer intercepts, and the value.
final class PthreadStorage<Value: ~Copyable>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    init(_ initialValue: consuming sending Value) {
        value = initialValue
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result: ~Copyable, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
#endif
