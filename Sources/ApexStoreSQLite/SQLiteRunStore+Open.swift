import ApexEngine
import Foundation
import GRDB

extension SQLiteRunStore {
    /// Opens a pool on `path` with the settings the engine's promises rest on, and checks them.
    static func openPool(path: String, busyTimeout: TimeInterval) throws -> DatabasePool {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        var configuration = Configuration()
        configuration.label = "apex.store"
        // Another process (`apex signal` while `apex run` drives) may hold the write lock for
        // a commit; wait for it rather than fail at once.
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        let pool = try DatabasePool(path: path, configuration: configuration)

        try pool.writeWithoutTransaction { db in
            // GRDB sets synchronous=NORMAL when it turns WAL on, after prepareDatabase runs:
            // a power loss could then drop the last commits, and the engine acts on an event
            // as soon as it is committed. Only the writer connection commits, so FULL is set
            // there, and read back because SQLite ignores a pragma it does not accept.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous")
            guard synchronous == 2 else {
                throw StoreError.unusable("\(path): SQLite did not accept synchronous=FULL (it reports \(synchronous ?? -1))")
            }
            let journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode")
            guard journalMode == "wal" else {
                throw StoreError.unusable("\(path): SQLite did not accept journal_mode=WAL (it reports \(journalMode ?? "nothing"))")
            }
        }
        return pool
    }
}
