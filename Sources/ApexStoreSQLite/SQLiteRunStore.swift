import ApexDSL
import ApexEngine
import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, shared by every apex process on the
/// machine (`apex run` in one terminal, `apex signal` in another).
///
/// Every method is one transaction. Writes are `BEGIN IMMEDIATE` transactions (GRDB's default
/// for a pool's writer): within this process the pool serializes them on its one writer
/// connection, and across processes SQLite's write lock does, each process waiting up to the
/// busy timeout for the other to commit. Reading `last_seq` and writing after it therefore
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
        if migrating { try migrateNow() }
    }

    /// Another namespace's view of the same database, sharing this store's connections (a
    /// server answers for many namespaces with one pool).
    public func inNamespace(_ namespace: String) -> SQLiteRunStore {
        SQLiteRunStore(path: path, namespace: namespace, busyTimeout: busyTimeout, pool: pool)
    }

    private init(path: String, namespace: String, busyTimeout: TimeInterval, pool: DatabasePool) {
        self.path = path
        self.namespace = namespace
        self.busyTimeout = busyTimeout
        self.pool = pool
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

    /// Runs `body` in a write transaction, turning SQLite's failures into ``StoreError``.
    /// Errors that `body` throws itself (a conflict, an unknown run) roll it back and pass
    /// through unchanged.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
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
