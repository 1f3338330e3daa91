import Foundation

/// An `apex` process left running in the background, to be killed or waited for.
final class BackgroundApex {
    let process = Process()
    private let outputPath: String
    private let errorPath: String

    init(_ arguments: [String], in directory: String, environment: [String: String]) throws {
        guard let url = ApexBinary.url else { throw ApexBinary.MissingBinary() }
        outputPath = directory + "/bg-\(UUID().uuidString).out"
        errorPath = directory + "/bg-\(UUID().uuidString).err"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { own, _ in own }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() {
        Foundation.kill(process.processIdentifier, SIGTERM)
    }

    /// What the process has written to stdout so far.
    var outputSoFar: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// What the process has written to stderr so far.
    var errorSoFar: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits for the process to exit, suspending (not blocking a thread of the shared pool).
    func wait() async throws -> CommandResult {
        while process.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                             error: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }
}
