import ApexEngine
import Logging
import NIOCore
import NIOConcurrencyHelpers
import PostgresNIO

/// What an attempt at a method knows about the attempts before it.
struct Attempt: Sendable {
    var number = 1
    /// An earlier attempt's COMMIT was sent and its answer lost with the connection: its
    /// writes may be in the database. A method that is not idempotent checks before writing
    /// again (see `append`, `appendExternal`, `createRun`, `claimRuns`).
    var mayHaveCommitted = false
}

extension PostgresRunStore {
    /// Runs `body` on a pooled connection, again and again while the database cannot be
    /// reached or the connection breaks, with a growing pause (0.1 s up to 2 s), for at most
    /// ``retryBudget``; then throws ``StoreError/unavailable(_:)`` saying why.
    ///
    /// An attempt whose connection broke before its COMMIT was sent wrote nothing (the server
    /// rolls back), so running it again is safe; one whose COMMIT went unanswered is run
    /// again with ``Attempt/mayHaveCommitted``. A failure that waiting cannot mend (a wrong
    /// password, a missing schema) is thrown at once as ``StoreError/unusable(_:)``.
    func withRetry<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Attempt) async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + retryBudget
        var attempt = Attempt()
        while true {
            let current = attempt
            do {
                return try await leased(deadline: deadline) { connection in try await body(connection, current) }
            } catch {
                if error is CommitOutcomeUnknown { attempt.mayHaveCommitted = true }
                switch ErrorMapping.classify(error, configuration) {
                case .final(let error): throw error
                case .transient(let why):
                    guard ContinuousClock.now < deadline else {
                        // Name the cause as a fresh connection finds it (refused, no answer, ...).
                        let failure = await prober.probe()
                        throw failure.map { $0.isFatal ? StoreError.unusable($0.message) : .unavailable($0.message) } ?? .unavailable(why)
                    }
                    logger.debug("database attempt failed, trying again", metadata: ["attempt": "\(attempt.number)", "why": "\(why)"])
                    let pause = Duration.milliseconds(min(100 << min(attempt.number - 1, 5), 2000))
                    try await Task.sleep(for: min(pause, ContinuousClock.now.duration(to: deadline)))
                    attempt.number += 1
                }
            }
        }
    }

    /// Runs `body` in a transaction of its own on a pooled connection: `BEGIN`, `body`,
    /// `COMMIT`; `ROLLBACK` when `body` throws, whose error passes through unchanged.
    func inTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Attempt) async throws -> T) async throws -> T {
        let logger = driverLogger
        return try await withRetry { connection, attempt in
            try await connection.query("BEGIN", logger: logger)
            let value: T
            do {
                value = try await body(connection, attempt)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            do {
                try await connection.query("COMMIT", logger: logger)
            } catch {
                // The server's answer to COMMIT means it did not commit; no answer means it may have.
                if let error = error as? PSQLError, error.serverInfo != nil { throw error }
                throw CommitOutcomeUnknown(underlying: error)
            }
            if self.faults.takeLostCommitAnswer() { throw CommitOutcomeUnknown(underlying: ChannelError.ioOnClosedChannel) }
            return value
        }
    }

    /// Runs `statement` as a transaction of its own (autocommit: one round trip, no `BEGIN` or
    /// `COMMIT`), then `then` with its rows. A statement whose answer was lost may have
    /// committed: that is thrown as ``CommitOutcomeUnknown``, so that the next attempt checks
    /// before writing again, as after a lost `COMMIT`.
    func inOneStatement<T: Sendable>(_ statement: PostgresQuery,
                                     then: @escaping @Sendable ([PostgresRow], PostgresConnection, Attempt) async throws -> T) async throws -> T {
        let logger = driverLogger
        return try await withRetry { connection, attempt in
            let rows: [PostgresRow]
            do {
                rows = try await connection.rows(statement, logger: logger)
            } catch {
                // The server's answer means the statement did not commit; no answer means it may have.
                if let error = error as? PSQLError, error.serverInfo != nil { throw error }
                throw CommitOutcomeUnknown(underlying: error)
            }
            if self.faults.takeLostCommitAnswer() { throw CommitOutcomeUnknown(underlying: ChannelError.ioOnClosedChannel) }
            return try await then(rows, connection, attempt)
        }
    }

    /// One attempt: leases a connection and runs `body` on it. While no connection comes (the
    /// pool keeps trying to open one), a watchdog connects on its own once a second to learn
    /// why, so that a wrong password fails at once and an unreachable server fails at the
    /// deadline with a message naming the cause.
    private func leased<T: Sendable>(deadline: ContinuousClock.Instant,
                                     _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let lease = NIOLockedValueBox(LeaseState.waiting)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await self.client.withConnection { connection in
                    // The watchdog may have given up a moment ago: then do nothing at all.
                    let proceed = lease.withLockedValue { state in
                        guard state == .waiting else { return false }
                        state = .leased
                        return true
                    }
                    guard proceed else { throw CancellationError() }
                    return try await Self.untilClosed(connection) { try await body(connection) }
                }
            }
            group.addTask {
                try await self.watch(lease, deadline: deadline)
                return nil
            }
            while let outcome = try await group.next() {
                if let value = outcome {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()
        }
    }

    /// Runs `body` on `connection`, but stops waiting for it once the connection is found
    /// closed (checked twice a second). postgres-nio (1.33.2) was seen to leave a query
    /// unanswered forever when the server was killed under it (`pg_ctl stop -m immediate`),
    /// the connection being closed: the attempt then ends as one whose COMMIT may have gone
    /// through (the methods that are not idempotent check for their own writes before writing
    /// again), and the abandoned task ends whenever postgres-nio lets it.
    static func untilClosed<T: Sendable>(_ connection: PostgresConnection,
                                         _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let waiting = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
        let running = NIOLockedValueBox<Task<Void, Never>?>(nil)
        // The first outcome wins: the body's, or the closed connection's.
        let finish = { @Sendable (result: Result<T, any Error>) -> Bool in
            waiting.withLockedValue { continuation in
                guard let waiting = continuation else { return false }
                waiting.resume(with: result)
                continuation = nil
                return true
            }
        }
        let check = connection.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(500), delay: .milliseconds(500)) { check in
            guard connection.isClosed, finish(.failure(CommitOutcomeUnknown(underlying: ChannelError.ioOnClosedChannel))) else { return }
            check.cancel()
        }
        defer { check.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiting.withLockedValue { $0 = continuation }
                running.withLockedValue { task in
                    task = Task { do { _ = finish(.success(try await body())) } catch { _ = finish(.failure(error)) } }
                }
            }
        } onCancel: {
            running.withLockedValue { $0?.cancel() }
        }
    }

    /// Returns once the connection is leased; throws when waiting longer cannot help.
    private func watch(_ lease: NIOLockedValueBox<LeaseState>, deadline: ContinuousClock.Instant) async throws {
        var patience = Duration.milliseconds(500)
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            try await Task.sleep(for: max(min(patience, left), .zero))
            patience = .seconds(1)
            if lease.withLockedValue({ $0 }) == .leased { return }
            let failure = await prober.probe()
            let error: StoreError? = if let failure, failure.isFatal {
                .unusable(failure.message)
            } else if ContinuousClock.now >= deadline {
                .unavailable(failure?.message ?? "no connection to \(configuration.address) within \(retryBudget)")
            } else {
                nil
            }
            guard let error else { continue }
            let gaveUp = lease.withLockedValue { state in
                guard state == .waiting else { return false }
                state = .gaveUp
                return true
            }
            guard gaveUp else { return }
            throw error
        }
    }
}

/// Faults that tests inject into a store to reach the paths that only a broken connection
/// takes otherwise.
final class StoreFaults: Sendable {
    private let lostCommitAnswers = NIOLockedValueBox(0)

    /// The next `count` transactions commit, and then fail as if the connection broke before
    /// the server's answer to COMMIT arrived.
    func loseCommitAnswers(_ count: Int) {
        lostCommitAnswers.withLockedValue { $0 = count }
    }

    func takeLostCommitAnswer() -> Bool {
        lostCommitAnswers.withLockedValue { count in
            guard count > 0 else { return false }
            count -= 1
            return true
        }
    }
}

enum LeaseState: Sendable {
    case waiting, leased, gaveUp
}
