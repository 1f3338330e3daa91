import Foundation

/// A folder of its own for one test's database files, removed when the test is done.
struct TemporaryFolder {
    let url: URL

    private init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("apex-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` in the folder.
    func path(_ name: String = "apex.db") -> String {
        url.appendingPathComponent(name).path
    }

    /// Runs `body` with a new folder and removes the folder afterwards, whatever happens.
    static func with<T>(_ body: (TemporaryFolder) async throws -> T) async throws -> T {
        let folder = try TemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder.url) }
        return try await body(folder)
    }
}
