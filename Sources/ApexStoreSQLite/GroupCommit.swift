import Foundation
import GRDB

/// Group commit: the write transactions that callers ask for while one is committing are
/// committed together, as one SQLite transaction and so one fsync, instead of one after the
/// other.
///
/// A drainer takes everything queued, opens one `BEGIN IMMEDIATE` transaction, runs each
/// caller's body in a savepoint of its own, commits, and only then answers every caller. So
/// each caller's writes are all-or-nothing as before (a body that throws, a conflict say, rolls
/// back its savepoint alone and gets its error), each sees the writes of the bodies before it
/// as if they had committed just before, and no caller hears of a write before it is on disk
/// at `synchronous=FULL`. A commit that fails fails every body of the batch.
///
/// The caller that finds no drainer commits its own batch itself (no task to wake: a write
/// without contention costs what it did before group commit), then hands whatever queued
/// meanwhile to a task, which drains until the queue is empty.
final class GroupCommit: @unchecked Sendable {
    /// One caller's body, type-erased: `run` does its writes in the batch's transaction (in a
    /// savepoint of its own when it shares it) and says whether it threw, and what to tell the
    /// caller once the batch has committed; `fail` tells it the batch did not commit.
    struct Job: Sendable {
        let run: @Sendable (Database, _ inSavepoint: Bool) -> (threw: Bool, answer: @Sendable () -> Void)
        let fail: @Sendable (any Error) -> Void
    }

    /// The most bodies in one transaction: a bound on how long the first of them waits.
    static let maxBatch = 512

    private let pool: DatabasePool
    /// Guards `queue`, `draining` and `batches` (NSLock: the package still builds for macOS 14).
    private let lock = NSLock()
    private var queue: [Job] = []
    /// Whether a drainer is running: the first caller to find none becomes it.
    private var draining = false
    private var batches = 0

    /// How many transactions have committed (tests check that writes were grouped).
    var committedBatches: Int { lock.withLock { batches } }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `body` in a batch and returns its result once the batch is on disk.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let reply = Reply<T>()
        let job = Job(run: { db, inSavepoint in
            let result: Result<T, any Error>
            do {
                if inSavepoint {
                    var value: T?
                    try db.inSavepoint {
                        value = try body(db)
                        return .commit
                    }
                    result = .success(value!)
                } else {
                    result = .success(try body(db))
                }
            } catch {
                result = .failure(error)
            }
            if case .failure = result { return (true, { reply.resolve(result) }) }
            return (false, { reply.resolve(result) })
        }, fail: { error in reply.resolve(.failure(error)) })
        let drainsItself = lock.withLock {
            queue.append(job)
            guard !draining else { return false }
            draining = true
            return true
        }
        if drainsItself {
            // Its job is first in the queue, so in the batch committed now.
            await commitNextBatch()
            if lock.withLock({ stillDraining() }) { Task { await self.drain() } }
        }
        return try await reply.value()
    }

    /// Commits batches until the queue is empty.
    private func drain() async {
        while true {
            await commitNextBatch()
            guard lock.withLock({ stillDraining() }) else { return }
        }
    }

    /// Whether more jobs wait; when none does, the drainer stops (called with the lock held).
    private func stillDraining() -> Bool {
        if queue.isEmpty { draining = false }
        return draining
    }

    /// Takes up to ``maxBatch`` queued jobs and commits them in one transaction.
    private func commitNextBatch() async {
        let batch = lock.withLock { () -> [Job] in
            let batch = Array(queue.prefix(Self.maxBatch))
            queue.removeFirst(batch.count)
            return batch
        }
        guard !batch.isEmpty else { return }
        do {
            let answers = try await pool.writeWithoutTransaction { db in
                var answers: [@Sendable () -> Void] = []
                answers.reserveCapacity(batch.count)
                try db.inTransaction(.immediate) {
                    // Alone in its transaction, a body needs no savepoint: if it throws, the
                    // transaction is rolled back instead (the common case without load).
                    guard batch.count > 1 else {
                        let (threw, answer) = batch[0].run(db, false)
                        answers.append(answer)
                        return threw ? .rollback : .commit
                    }
                    for job in batch { answers.append(job.run(db, true).answer) }
                    return .commit
                }
                return answers
            }
            lock.withLock { batches += 1 }
            for answer in answers { answer() }
        } catch {
            for job in batch { job.fail(error) }
        }
    }
}

/// The answer to one caller: set once by the drainer, awaited by the caller (before or after
/// it is set).
private final class Reply<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?
    private var continuation: CheckedContinuation<T, any Error>?

    func resolve(_ result: Result<T, any Error>) {
        let waiting = lock.withLock { () -> CheckedContinuation<T, any Error>? in
            guard let continuation else {
                self.result = result
                return nil
            }
            self.continuation = nil
            return continuation
        }
        waiting?.resume(with: result)
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = lock.withLock { () -> Result<T, any Error>? in
                if let result { return result }
                self.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
