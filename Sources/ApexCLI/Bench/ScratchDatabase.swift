import Foundation

/// A SQLite file for a benchmark, in a new temporary folder that ``remove()`` deletes (the
/// store creates the folder when it opens the file).
struct ScratchDatabase {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-bench-\(UUID().uuidString)").path
    var path: String { folder + "/bench.db" }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
