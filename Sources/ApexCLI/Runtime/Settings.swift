import ApexDSL
import ApexEngine
import Foundation
import Logging

/// The configuration of docs/cli.md, "Configuration": the environment, then `.env` in the working
/// directory, then flags.
struct Settings {
    var environment: [String: String]

    init(console: Console) {
        let file = DotEnv.load(FileManager.default.currentDirectoryPath + "/.env")
        environment = file.merging(console.environment) { _, fromEnvironment in fromEnvironment }
    }

    var home: String {
        environment["APEX_HOME"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.apex")
    }

    /// The namespace of the runs: `--namespace`, else `APEX_NAMESPACE`, else `default`.
    func namespace(flag: String?) throws -> String {
        let (name, source) = flag.map { ($0, "--namespace") } ?? environment["APEX_NAMESPACE"].map { ($0, "APEX_NAMESPACE") }
            ?? (Namespace.defaultName, "")
        if let problem = ScopeName.problem(name) {
            throw SettingsError("\(source) \"\(name)\" is not a valid namespace: \(problem); it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
        }
        return name
    }

    /// The queue of a new run: `--task-queue`, else the workflow's `task_queue:`, else
    /// `APEX_TASK_QUEUE`, else the default queue.
    func taskQueue(flag: String?, workflow: String?) throws -> String {
        if flag == nil, let workflow { return workflow }
        return try taskQueues(flags: flag.map { [$0] } ?? [])[0]
    }

    /// The task queues given by flags, else `APEX_TASK_QUEUE`, else the default queue; each
    /// checked.
    func taskQueues(flags: [String]) throws -> [String] {
        let names = !flags.isEmpty ? flags : [environment["APEX_TASK_QUEUE"] ?? TaskQueue.defaultName]
        for name in names {
            if let problem = ScopeName.problem(name) {
                throw SettingsError("task queue \"\(name)\" is not a valid name: \(problem); it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
            }
        }
        return Array(Set(names)).sorted()
    }

    /// The level of log lines on stderr: `LOG_LEVEL` (TRACE DEBUG INFO WARN ERROR), INFO by default.
    static func logLevel(_ environment: [String: String]) -> Logger.Level {
        switch (environment["LOG_LEVEL"] ?? "INFO").uppercased() {
        case "TRACE": .trace
        case "DEBUG": .debug
        case "WARN", "WARNING": .warning
        case "ERROR": .error
        default: .info
        }
    }

    /// Whether warnings are printed: `LOG_LEVEL` (TRACE DEBUG INFO WARN ERROR) below ERROR.
    var logsWarnings: Bool { (environment["LOG_LEVEL"] ?? "INFO").uppercased() != "ERROR" }
}

struct SettingsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
