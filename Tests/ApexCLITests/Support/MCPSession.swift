import ApexDSL
import Foundation

/// `apex mcp` running as a child process, spoken to with raw newline-delimited JSON-RPC: lines
/// written to its stdin (a pipe), its stdout read from a file (so it never blocks on a full
/// pipe), answers found by their id.
final class MCPSession {
    let process = Process()
    private let input = Pipe()
    private let outputPath: String
    private let errorPath: String
    private var nextID = 1

    init(_ arguments: [String] = [], in directory: String, environment: [String: String]) throws {
        guard let url = ApexBinary.url else { throw ApexBinary.MissingBinary() }
        outputPath = directory + "/mcp-\(UUID().uuidString).out"
        errorPath = directory + "/mcp-\(UUID().uuidString).err"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = url
        process.arguments = ["mcp"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { own, _ in own }
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Writes one message (a line of compact JSON).
    func send(_ message: JSONValue) throws {
        try input.fileHandleForWriting.write(contentsOf: Data((message.compactJSON + "\n").utf8))
    }

    /// Sends a request and returns its whole answer (`result` or `error`), waiting up to `seconds`.
    func request(_ method: String, _ params: JSONValue? = nil, within seconds: Double = 60) async throws -> JSONValue {
        let id = nextID
        nextID += 1
        var message: JSONValue = ["jsonrpc": "2.0", "id": .int(id), "method": .string(method)]
        if let params, case .object(var object) = message {
            object["params"] = params
            message = .object(object)
        }
        try send(message)
        return try await answer(id, within: seconds)
    }

    /// `initialize` then `notifications/initialized`, as a client opens a session.
    func initialize() async throws -> JSONValue {
        let answer = try await request("initialize", [
            "protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "apex-tests", "version": "1.0"],
        ])
        try send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        return answer
    }

    /// `tools/call`: the call's `result`.
    func call(_ tool: String, _ arguments: JSONValue = [:]) async throws -> JSONValue {
        let answer = try await request("tools/call", ["name": .string(tool), "arguments": arguments])
        guard let result = answer["result"] else { throw Unexpected(message: "tools/call \(tool) answered \(answer.compactJSON)") }
        return result
    }

    /// Every line written to stdout so far, parsed (a line that is not JSON throws).
    func messages() throws -> [JSONValue] {
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    var errorSoFar: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Closes stdin (the end of the session) and waits for the process to exit.
    func close(within seconds: Double = 60) async throws -> Int32 {
        try input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            guard Date() < deadline else { throw Unexpected(message: "apex mcp did not exit \(seconds) s after the end of its input") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The answer with `id`, once it is written.
    func answer(_ id: Int, within seconds: Double = 60) async throws -> JSONValue {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            // A line is complete once its newline is written; a partial last line is skipped.
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) where text.contains(line + "\n") {
                if let message = try? JSONValue(parsing: String(line)), message["id"] == .int(id) { return message }
            }
            guard process.isRunning else { throw Unexpected(message: "apex mcp exited without answering request \(id); stderr: \(errorSoFar)") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw Unexpected(message: "no answer to request \(id) within \(seconds) s; stderr: \(errorSoFar)")
    }

    struct Unexpected: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

extension JSONValue {
    /// Compact JSON with every object's keys sorted, to compare values regardless of key order.
    var canonicalJSON: String {
        switch self {
        case .object(let object):
            "{" + object.sorted { $0.key < $1.key }.map { JSONValue.string($0.key).compactJSON + ":" + $0.value.canonicalJSON }.joined(separator: ",") + "}"
        case .array(let array): "[" + array.map(\.canonicalJSON).joined(separator: ",") + "]"
        default: compactJSON
        }
    }
}

extension JSONValue {
    /// The element at `index` of an array, nil otherwise.
    subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
