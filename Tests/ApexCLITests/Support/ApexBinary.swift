import Foundation

/// The built `apex` executable, for end-to-end tests that run it as a user would.
enum ApexBinary {
    /// The executable in the build products folder that holds this test bundle (the
    /// resource bundle sits in that folder on Linux and macOS alike); nil when not built.
    static let url: URL? = {
        let products = Bundle.module.bundleURL.deletingLastPathComponent()
        let candidates = [
            products.appendingPathComponent("apex"),
            // An Xcode-style layout nests the bundle one folder deeper.
            products.deletingLastPathComponent().appendingPathComponent("apex"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `apex arguments` in `directory` and waits for it to exit.
    ///
    /// Output goes to temporary files rather than pipes, so a chatty process can never block
    /// on a full pipe while the test waits for it. The wait suspends rather than blocks: a test
    /// blocking a thread of the shared pool starves the other suites running beside it.
    /// Standard input is empty, or the file `standardInput`.
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                    standardInput: String? = nil) async throws -> CommandResult {
        guard let url else { throw MissingBinary() }
        let capture = try TemporaryFolder()
        let outputPath = try capture.write("stdout", "")
        let errorPath = try capture.write("stderr", "")
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { own, _ in own }
        process.standardInput = try standardInput.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = error
        try await withCheckedThrowingContinuation { (exited: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in exited.resume() }
            do { try process.run() } catch {
                process.terminationHandler = nil
                exited.resume(throwing: error)
            }
        }
        try output.close()
        try error.close()
        return CommandResult(
            status: process.terminationStatus,
            output: try String(contentsOfFile: outputPath, encoding: .utf8),
            error: try String(contentsOfFile: errorPath, encoding: .utf8))
    }

    struct MissingBinary: Error, CustomStringConvertible {
        var description: String { "the apex executable was not found next to the test bundle; run `swift build` first" }
    }
}
