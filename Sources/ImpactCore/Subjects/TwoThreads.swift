import ImpactIngest

/// Splits a step of the tally between the calling thread and one more (the second core is
/// idle once an input is read).
enum TwoThreads {
    /// Runs `body(0)` on the calling thread and `body(1)` on a second thread, and returns when
    /// both have returned. With `parts` = 1 only `body(0)` runs; when no thread can be started,
    /// the calling thread runs `body(1)` after `body(0)`. The two calls must touch disjoint
    /// memory; what they wrote is visible to the caller on return (the hand-back goes through
    /// a ``BoundedQueue``'s mutex).
    static func run(_ parts: Int, _ body: (Int) -> Void) {
        guard parts == 2 else {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = SharedBody(body)
            let done = BoundedQueue<Bool>(capacity: 1)
            let started = startThread {
                shared.body?(1)
                // Let go of the body before handing back: it must not outlive this call.
                shared.body = nil
                done.push(true)
            }
            body(0)
            if started {
                _ = done.pop()
            } else {
                shared.body = nil
                body(1)
            }
        }
    }

    /// The body, handed to the second thread; it runs only while ``run(_:_:)`` waits for it,
    /// and the second thread drops it before it signals the end.
    private final class SharedBody: @unchecked Sendable {
        var body: ((Int) -> Void)?
        init(_ body: @escaping (Int) -> Void) { self.body = body }
    }
}
