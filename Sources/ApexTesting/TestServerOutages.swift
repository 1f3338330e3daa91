/// Keeps the tests that take the shared PostgreSQL test server down (a restart, an outage of
/// seconds) apart from the tests that cannot bear it going down, such as one that checks that
/// every notification arrives over a listening connection. Every test target runs in one
/// process, so one lock serializes them; other tests run on regardless.
public enum TestServerOutages {
    private static let lock = AsyncLock()

    /// Runs `body` while no other `body` of this lock runs.
    public static func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await lock.acquire()
        do {
            let value = try await body()
            await lock.release()
            return value
        } catch {
            await lock.release()
            throw error
        }
    }
}

/// A mutual exclusion for async code: waiters resume in order.
private actor AsyncLock {
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { held = false } else { waiters.removeFirst().resume() }
    }
}
