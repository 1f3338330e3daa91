import Foundation
import GRDB

/// The cost of the smallest durable commit on a disk, made as the store makes its commits
/// (WAL, `synchronous=FULL`): the floor under every figure of a benchmark on that disk, which
/// varies threefold between days here, so a bench reads its own figures beside it.
public enum CommitFloor {
    /// Milliseconds of each of `commits` commits of one small row, in a scratch file in
    /// `folder` (removed afterwards), after 10 that are not counted.
    public static func measure(folder: String, commits: Int) throws -> [Double] {
        let path = folder + "/commit-floor-\(UUID().uuidString).db"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pool = try SQLiteRunStore.openPool(path: path, busyTimeout: 5)
        try pool.write { db in try db.execute(sql: "CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)") }
        let body = String(repeating: "x", count: 100)
        var milliseconds: [Double] = []
        for index in 0..<(commits + 10) {
            let start = DispatchTime.now().uptimeNanoseconds
            try pool.write { db in try db.execute(sql: "INSERT INTO rows (body) VALUES (?)", arguments: [body]) }
            if index >= 10 { milliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000) }
        }
        return milliseconds
    }
}
