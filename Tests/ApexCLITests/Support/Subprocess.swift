import Foundation

/// Runs an executable (apex, psql, the cluster script) and waits for it to exit.
///
/// Output goes to temporary files rather than pipes, so a chatty process can never block on
/// a full pipe while the test waits for it. The wait suspends rather than blocks: a test
/// blocking a thread of the shared pool starves the other suites running beside it.
/// Standard input is empty, or the file `standardInput`.
enum Subprocess {
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
                    path: String = "/usr/sbin:/usr/bin:/sbin:/bin", standardInput: String? = nil) async throws -> CommandResult {
        let capture = try TemporaryFolder()
        let outputPath = try capture.write("stdout", "")
        let errorPath = try capture.write("stderr", "")
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = environment.merging(["PATH": path]) { own, _ in own }
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
        return CommandResult(status: process.terminationStatus,
                             output: try String(contentsOfFile: outputPath, encoding: .utf8),
                             error: try String(contentsOfFile: errorPath, encoding: .utf8))
    }
}
