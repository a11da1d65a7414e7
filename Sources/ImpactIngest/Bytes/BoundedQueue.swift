#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A first-in first-out queue of at most `capacity` elements between threads: `push` waits
/// while the queue is full, `pop` waits while it is empty. The hand-over point of the reading
/// pipelines (decompression → tokenizing → analysis), whose bound keeps memory flat.
///
/// Behaviour: ``close()`` wakes every waiter; after it `push` drops its element and returns
/// false, and `pop` returns what is left, then nil. Elements are handed over whole: a thread
/// gives up an element when it pushes it and owns what it pops.
///
/// Contract: safe from any number of threads (one mutex and two condition variables).
public final class BoundedQueue<Element>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let notEmpty = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let notFull = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var items: [Element?]
    private var head = 0
    private var count = 0
    private var closed = false
    public let capacity: Int

    public init(capacity: Int) {
        precondition(capacity > 0, "a queue holds at least one element")
        self.capacity = capacity
        items = Array(repeating: nil, count: capacity)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(notEmpty, nil)
        pthread_cond_init(notFull, nil)
    }

    deinit {
        pthread_cond_destroy(notFull)
        pthread_cond_destroy(notEmpty)
        pthread_mutex_destroy(mutex)
        notFull.deallocate()
        notEmpty.deallocate()
        mutex.deallocate()
    }

    /// Appends `e`, waiting while the queue is full. Returns false (and drops `e`) when the
    /// queue is closed.
    @discardableResult
    public func push(_ e: Element) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count == capacity && !closed { pthread_cond_wait(notFull, mutex) }
        if closed { return false }
        items[(head + count) % capacity] = e
        count += 1
        pthread_cond_signal(notEmpty)
        return true
    }

    /// Removes the first element, waiting while the queue is empty; nil once the queue is
    /// closed and empty.
    public func pop() -> Element? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count == 0 && !closed { pthread_cond_wait(notEmpty, mutex) }
        if count == 0 { return nil }
        let e = items[head]
        items[head] = nil
        head = (head + 1) % capacity
        count -= 1
        pthread_cond_signal(notFull)
        return e
    }

    /// Elements waiting now (a hint: it may change as soon as it is read).
    public var waiting: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return count
    }

    /// Wakes every waiter; later pushes fail, pops drain what is left.
    public func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(notEmpty)
        pthread_cond_broadcast(notFull)
        pthread_mutex_unlock(mutex)
    }
}

/// Starts `body` on a new detached thread (POSIX threads; 8 MiB stack, as the main thread's).
/// Callers synchronise through a ``BoundedQueue``.
/// - Returns: false when the system could not create the thread (`body` did not run): the
///   caller then does the work on its own thread.
@discardableResult
public func startThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    pthread_attr_setstacksize(&attributes, 8 << 20)
    #if canImport(Darwin)
    var thread: pthread_t?
    #else
    var thread = pthread_t()
    #endif
    let status = pthread_create(&thread, &attributes, { raw in
        #if canImport(Darwin)
        let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
        #else
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        #endif
        box.body()
        return nil
    }, context)
    pthread_attr_destroy(&attributes)
    if status != 0 {
        Unmanaged<Box>.fromOpaque(context).release()
        return false
    }
    return true
}
