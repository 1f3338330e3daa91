import ApexDSL
import ApexEngine
import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, shared by every apex process on the
/// machine (`apex run` in one terminal, `apex signal` in another).
///
/// Every method is all-or-nothing. Writes run in `BEGIN IMMEDIATE` transactions on the pool's
/// one writer connection; the writes that callers ask for while one commits share the next
/// transaction, each in a savepoint of its own (``GroupCommit``: one fsync for many runs).
/// Across processes SQLite's write lock serializes transactions, each process waiting up to
/// the busy timeout for the other to commit. Reading `last_seq` and writing after it therefore
/// happen with no other writer in between, which makes the seq check of ``append(runID:events:expectedLastSeq:update:)``
/// and the lease check of ``acquireLease(runID:owner:until:now:)`` compare-and-swaps that
/// hold across processes. Reads run on the pool's reader connections and never wait for a
/// writer.
public final class SQLiteRunStore: RunStore {
    /// The database file.
    public let path: String
    /// How long a write waits for another process's transaction before giving up.
    public let busyTimeout: TimeInterval
    public let namespace: String
    let pool: DatabasePool
    /// Commits the writes that callers ask for together (one transaction, one fsync).
    let commits: GroupCommit

    /// Opens the database at `path` as `namespace`'s store, creating it (and its folder) if
    /// missing, and migrates it to the newest schema unless `migrating` is false (`apex
    /// migrate --status` looks at a database as it is).
    ///
    /// - Throws: ``StoreError/newerSchema(found:supported:)`` for a database written by a newer
    ///   apex; ``StoreError/unusable(_:)``, naming the path, for a file that is not a database,
    ///   is corrupt, cannot be created, or stays locked longer than `busyTimeout` seconds.
    public init(path: String, namespace: String = Namespace.defaultName, migrating: Bool = true, busyTimeout: TimeInterval = 5) throws {
        self.path = path
        self.namespace = namespace
        self.busyTimeout = busyTimeout
        do {
            pool = try Self.openPool(path: path, busyTimeout: busyTimeout)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unusable(path: path, busyTimeout: busyTimeout, error)
        }
        commits = GroupCommit(pool: pool)
        if migrating { try migrateNow() }
    }

    /// Another namespace's view of the same database, sharing this store's connections (a
    /// server answers for many namespaces with one pool).
    public func inNamespace(_ namespace: String) -> SQLiteRunStore {
        SQLiteRunStore(path: path, namespace: namespace, busyTimeout: busyTimeout, pool: pool, commits: commits)
    }

    private init(path: String, namespace: String, busyTimeout: TimeInterval, pool: DatabasePool, commits: GroupCommit) {
        self.path = path
        self.namespace = namespace
        self.busyTimeout = busyTimeout
        self.pool = pool
        self.commits = commits
    }

    public func migrate() async throws {
        try await write { db in try Migrator.migrate(db) }
    }

    public func migrations() async throws -> [MigrationStatus] {
        try await read { db in try Migrator.statuses(db) }
    }

    /// Migrates synchronously, for `init`.
    private func migrateNow() throws {
        do {
            try pool.write { db in try Migrator.migrate(db) }
        } catch let error as DatabaseError {
            throw StoreError.unusable(path: path, busyTimeout: busyTimeout, error)
        }
    }

    /// Runs `body` in a write transaction (shared with the writes asked for at the same time:
    /// ``GroupCommit``), turning SQLite's failures into ``StoreError``. Errors that `body`
    /// throws itself (a conflict, an unknown run) roll back its writes alone and pass through
    /// unchanged. It returns once the transaction is on disk.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await commits.write(body)
        } catch let error as DatabaseError {
            throw StoreError.unusable(path: path, busyTimeout: busyTimeout, error)
        }
    }

    /// Runs `body` on a reader connection, on a snapshot of the last commit.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw StoreError.unusable(path: path, busyTimeout: busyTimeout, error)
        }
    }
}
