import ApexEngine
import Foundation
import GRDB

/// What ``SQLiteRunStore/backup(to:replacing:)`` wrote.
public struct SQLiteBackup: Sendable, Hashable {
    /// The copy's path, as given.
    public var path: String
    /// The copy's size in bytes.
    public var bytes: Int
    /// The runs in the copy (every namespace).
    public var runs: Int
}

/// Why ``SQLiteRunStore/backup(to:replacing:)`` wrote nothing, besides SQLite's own failures.
public enum SQLiteBackupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Something is at the destination (the file, or a `-wal`, `-shm` or `-journal` beside it)
    /// and replacing it was not asked for.
    case destinationExists(String)
    /// The destination is the store's own file.
    case destinationIsTheStore(String)

    public var description: String {
        switch self {
        case .destinationExists(let path): "\(path) already exists"
        case .destinationIsTheStore(let path): "\(path) is the store itself"
        }
    }
}

extension SQLiteRunStore {
    /// Writes a consistent copy of the store to `path` while other processes go on using it.
    ///
    /// The copy is SQLite's online backup of one read snapshot (the pool's reader, in one
    /// step): whatever commits during the copy is either wholly in it or not at all, and
    /// writers are never blocked (WAL). The copy is then switched to a rollback journal, so it is
    /// one self-contained file with no `-wal` beside it; the store that opens it later turns
    /// WAL back on.
    ///
    /// The copy is written to a hidden file in `path`'s folder and moved to `path` only once
    /// complete, so `path` never holds a partial copy. Without `replacing`, an existing `path`
    /// is refused (atomically: a file that appears meanwhile is not replaced); with it, the file
    /// and any stale `-wal`, `-shm` or `-journal` beside it (which SQLite would otherwise read as
    /// part of the copy) are replaced.
    ///
    /// - Throws: ``SQLiteBackupError`` when `path` exists (without `replacing`) or is the store's
    ///   own file; ``StoreError/unusable(_:)`` when SQLite or the file system fails.
    @discardableResult
    public func backup(to path: String, replacing: Bool = false) async throws -> SQLiteBackup {
        if Self.sameFile(path, self.path) { throw SQLiteBackupError.destinationIsTheStore(path) }
        let sidecars = ["-wal", "-shm", "-journal"].map { path + $0 }
        if !replacing, let existing = ([path] + sidecars).first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw SQLiteBackupError.destinationExists(existing)
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/.\(url.lastPathComponent).backup-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.unusable("cannot create the folder of \(path): \(error.localizedDescription)")
        }
        defer { for file in [temporary] + ["-wal", "-shm", "-journal"].map({ temporary + $0 }) { try? FileManager.default.removeItem(atPath: file) } }

        let runs: Int
        do {
            let copy = try DatabaseQueue(path: temporary)
            // One step inside one read transaction: the snapshot cannot move under the copy.
            try await pool.read { source in
                try copy.writeWithoutTransaction { destination in try source.backup(to: destination) }
            }
            runs = try await copy.writeWithoutTransaction { db in
                // The copied header says WAL, as the store's does; a copy is one file.
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                guard mode == "delete" else { throw StoreError.unusable("the copy kept journal mode \(mode ?? "unknown")") }
                guard try String.fetchOne(db, sql: "PRAGMA quick_check") == "ok" else {
                    throw StoreError.unusable("the copy failed SQLite's quick_check")
                }
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM runs") ?? 0
            }
            try copy.close()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unusable(path: temporary, busyTimeout: busyTimeout, error)
        }
        try Self.move(temporary, to: path, replacing: replacing, sidecars: sidecars)
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        return SQLiteBackup(path: path, bytes: bytes, runs: runs)
    }

    /// Moves the finished copy to `path`: with `replacing`, over whatever is there (its stale
    /// sidecars removed first); without, only if nothing is (a hard link fails on an existing
    /// name, where a rename would replace it).
    private static func move(_ temporary: String, to path: String, replacing: Bool, sidecars: [String]) throws {
        if replacing {
            for sidecar in sidecars where FileManager.default.fileExists(atPath: sidecar) {
                do { try FileManager.default.removeItem(atPath: sidecar) } catch {
                    throw StoreError.unusable("cannot remove \(sidecar), left from the file being replaced: \(error.localizedDescription)")
                }
            }
            guard rename(temporary, path) == 0 else { throw StoreError.unusable("cannot move the copy to \(path): \(Self.errnoText())") }
        } else if link(temporary, path) != 0 {
            let linkError = errno
            if linkError == EEXIST { throw SQLiteBackupError.destinationExists(path) }
            // A file system without hard links: check, then rename (not atomic, but `path` was
            // free a moment ago).
            guard !FileManager.default.fileExists(atPath: path) else { throw SQLiteBackupError.destinationExists(path) }
            guard rename(temporary, path) == 0 else { throw StoreError.unusable("cannot move the copy to \(path): \(Self.errnoText())") }
        }
        syncFolder(of: path)
    }

    /// Makes the new name durable: a rename lives in the folder, not the file.
    private static func syncFolder(of path: String) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let descriptor = open(folder, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }

    /// Whether `a` and `b` name the same existing file (links and symbolic links included).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat()
        var second = stat()
        guard stat(a, &first) == 0, stat(b, &second) == 0 else {
            return URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
        }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
