import ApexDSL
import Foundation
import Testing

/// One fault test's world: a fresh database on the test cluster, a temporary folder, and the
/// `apex` processes the test started (killed, even stopped ones, and the database dropped when
/// the test ends, whatever happened).
final class FaultScene: @unchecked Sendable {
    /// A background `apex worker`, with the mock call log it alone writes.
    struct Worker: @unchecked Sendable {
        let background: BackgroundApex
        let log: String
        var pid: Int32 { background.process.processIdentifier }
    }

    let folder: TemporaryFolder
    let database: String
    let url: String
    let environment: [String: String]
    private let lock = NSLock()
    private var started: [Worker] = []

    private init(folder: TemporaryFolder, database: String) throws {
        self.folder = folder
        self.database = database
        url = try PostgresTestServer.url(database: database)
        // Commands other than workers never call the model: their log stays empty.
        environment = ["APEX_HOME": folder.path + "/home", "APEX_MOCK_LLM_LOG": folder.path + "/cli-calls.log", "NO_COLOR": "1"]
    }

    /// Runs `body` in a new scene, its database migrated by `apex migrate` unless `migrated` is false.
    static func with(migrated: Bool = true, _ body: (FaultScene) async throws -> Void) async throws {
        let scene = try FaultScene(folder: try TemporaryFolder(), database: try await PostgresTestServer.createDatabase())
        do {
            if migrated {
                let migrate = try await scene.apex("migrate")
                try #require(migrate.status == 0, "apex migrate: \(migrate.error)")
            }
            try await body(scene)
        } catch {
            await scene.tearDown()
            throw error
        }
        await scene.tearDown()
    }

    private func tearDown() async {
        for worker in workers where worker.background.process.isRunning {
            kill(worker.pid, SIGCONT)
            worker.background.kill()
        }
        await PostgresTestServer.dropDatabase(database)
    }

    // MARK: - Commands

    /// `apex ARGUMENTS --db URL` (this scene's database unless `database` says otherwise).
    func apex(_ arguments: [String], database: String? = nil) async throws -> CommandResult {
        try await ApexBinary.run(arguments + ["--db", database ?? url], in: folder.path, environment: environment)
    }

    func apex(_ arguments: String...) async throws -> CommandResult {
        try await apex(arguments)
    }

    /// Starts `apex worker --db URL --mock-llm EXTRA` with a call log of its own.
    @discardableResult
    func startWorker(_ extra: [String] = []) throws -> Worker {
        let log = folder.path + "/calls-w\(lock.withLock { started.count } + 1)-\(UUID().uuidString.prefix(6)).log"
        let background = try BackgroundApex(["worker", "--db", url, "--mock-llm"] + extra, in: folder.path,
                                            environment: environment.merging(["APEX_MOCK_LLM_LOG": log]) { _, new in new })
        let worker = Worker(background: background, log: log)
        lock.withLock { started.append(worker) }
        return worker
    }

    /// Every worker started, in order.
    var workers: [Worker] { lock.withLock { started } }

    /// The call log of every worker started, by pid.
    var callLogs: [Int: String] {
        Dictionary(uniqueKeysWithValues: workers.map { (Int($0.pid), $0.log) })
    }

    /// The calls logged by commands other than workers (none expected).
    var cliCalls: String { (try? String(contentsOfFile: folder.path + "/cli-calls.log", encoding: .utf8)) ?? "" }

    /// Every `interval`, SIGKILLs the oldest live worker and starts a replacement (with `extra`),
    /// until cancelled; returns how many it killed.
    func killInRotation(every interval: Swift.Duration, extra: [String] = []) async -> Int {
        var kills = 0
        while true {
            do { try await Task.sleep(for: interval) } catch { return kills }
            guard let victim = workers.first(where: { $0.background.process.isRunning }) else { continue }
            victim.background.kill()
            kills += 1
            do { try startWorker(extra) } catch {
                Issue.record("could not start a replacement worker: \(error)")
                return kills
            }
        }
    }

    /// SIGTERMs every live worker and expects each to exit 0 within `seconds`.
    func stopWorkers(within seconds: Double = 40) async throws {
        let live = workers.filter { $0.background.process.isRunning }
        for worker in live { worker.background.terminate() }
        for worker in live {
            let result = try await Self.wait(for: worker, within: seconds)
            #expect(result?.status == 0, "worker \(worker.pid) did not exit 0 on SIGTERM: \(result.map { "\($0.status): \($0.error.suffix(2000))" } ?? "still running")")
        }
    }

    /// The worker's exit, or nil when it still runs after `seconds`.
    static func wait(for worker: Worker, within seconds: Double) async throws -> CommandResult? {
        let deadline = Date().addingTimeInterval(seconds)
        while worker.background.process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return worker.background.process.isRunning ? nil : try await worker.background.wait()
    }

    // MARK: - Runs

    /// `apex run WORKFLOW FLAGS --detach --id ID` for every id, 8 at a time; each prints its id.
    func startRuns(_ ids: [String], workflow: String = "load.yaml", flags: [String] = ["--mock-llm"]) async throws {
        let results = try await Concurrently.map(ids, width: 8) { id in
            try await self.apex(["run", workflow] + flags + ["--detach", "--id", id])
        }
        let failed = ids.filter { results[$0]?.status != 0 || results[$0]?.output != "\($0)\n" }
        #expect(failed.isEmpty, "\(failed.count) start(s) failed, e.g. \(failed.first.flatMap { results[$0] }.map { "\($0.status): \($0.error)" } ?? "")")
    }

    /// ``startRuns(_:workflow:flags:)``, then ``signal(_:)`` when `thenSignal`.
    func startRuns(_ ids: [String], workflow: String = "load.yaml", flags: [String] = ["--mock-llm"], thenSignal: Bool) async throws {
        try await startRuns(ids, workflow: workflow, flags: flags)
        if thenSignal { try await signal(ids) }
    }

    /// `apex signal ID go` for every id, 8 at a time; each is accepted.
    func signal(_ ids: [String]) async throws {
        let results = try await Concurrently.map(ids, width: 8) { id in try await self.apex("signal", id, "go") }
        let failed = ids.filter { results[$0]?.status != 0 }
        #expect(failed.isEmpty, "\(failed.count) signal(s) failed, e.g. \(failed.first.flatMap { results[$0] }.map { "\($0.status): \($0.error)" } ?? "")")
    }

    /// Polls `apex runs --json` once a second until all `count` runs completed: false (and an
    /// issue) when one ended otherwise, or at the deadline.
    func waitUntilCompleted(_ count: Int, within seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var statuses: [String: Int] = [:]
        var unfinished: [String] = []
        while Date() < deadline {
            let listed = try await apex("runs", "--json", "--limit", String(count + 10))
            if listed.status == 0, let runs = try? JSONValue(parsing: listed.output).arrayValue {
                statuses = [:]
                for run in runs { statuses[run["status"]?.stringValue ?? "?", default: 0] += 1 }
                unfinished = runs.filter { $0["status"] != "completed" }
                    .map { "\($0["id"]?.stringValue ?? "?") \($0["status"]?.stringValue ?? "?") at \($0["current_step"]?.stringValue ?? "-")" }
                if statuses == ["completed": count] { return true }
                if statuses.keys.contains(where: { $0 != "completed" && $0 != "running" }) {
                    Issue.record("a run did not complete: \(statuses), e.g. \(unfinished.prefix(5))")
                    return false
                }
            }
            try await Task.sleep(for: .seconds(1))
        }
        Issue.record("the \(count) runs did not all complete within \(Int(seconds)) s: \(statuses), e.g. \(unfinished.prefix(5))")
        return false
    }

    /// Polls `apex runs --json` until one of `ids` is at `step`: false (and an issue) at the deadline.
    func waitUntilSomeRun(of ids: [String], isAt step: String, within seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        let wanted = Set(ids)
        while Date() < deadline {
            let listed = try await apex("runs", "--json", "--limit", "100000")
            let runs = (try? JSONValue(parsing: listed.output).arrayValue) ?? []
            if runs.contains(where: { wanted.contains($0["id"]?.stringValue ?? "") && $0["current_step"]?.stringValue == step }) { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("none of \(ids.count) runs reached \(step) within \(Int(seconds)) s")
        return false
    }

    /// Every run's `apex history RUN --json`, 6 at a time.
    func audit(_ ids: [String]) async throws -> HistoryAudit {
        try await HistoryAudit.read(ids) { id in
            let result = try await self.apex("history", id, "--json")
            guard result.status == 0 else { throw HistoryUnreadable(run: id, message: result.error) }
            return try result.output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        }
    }

    struct HistoryUnreadable: Error, CustomStringConvertible {
        var run: String
        var message: String
        var description: String { "apex history \(run) failed: \(message)" }
    }
}
