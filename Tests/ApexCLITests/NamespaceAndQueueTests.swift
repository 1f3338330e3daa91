import ApexDSL
import Foundation
import Testing

/// The built binary with namespaces and task queues on the embedded store: one run id in two
/// namespaces, bad names refused, workers that serve only their queues, `host:pid` in
/// `StepStarted`, and `apex migrate --status`.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .serialized, .timeLimit(.minutes(2)))
struct NamespaceAndQueueTests: BinaryWorkspace {
    let folder: TemporaryFolder
    let environment: [String: String]

    init() throws {
        folder = try TemporaryFolder()
        environment = Self.environment(in: folder)
        try folder.write("gate.yaml", """
            apex: 1
            name: gate
            steps:
              - id: gate
                wait: {signal: go}
            """)
        try folder.write("gpu.yaml", """
            apex: 1
            name: gpu
            task_queue: gpu
            llm: {provider: mock}
            steps:
              - id: draw
                llm: {prompt: draw}
            """)
    }

    @Test func oneRunIdNamesTwoRunsInTwoNamespacesAndEachCommandActsInOne() async throws {
        #expect(try await apex("run", "gate.yaml", "--detach", "--id", "same", "-n", "team-a").status == 0)
        #expect(try await apex("run", "gpu.yaml", "--detach", "--id", "same", "--namespace", "team-b").status == 0)
        let teamA = try JSONValue(parsing: try await apex("runs", "--json", "-n", "team-a").output)
        #expect(teamA.arrayValue?.map { $0["workflow"] } == ["gate"])
        #expect(teamA.arrayValue?.first?["namespace"] == "team-a")
        let teamB = try await apex("runs", "--json", adding: ["APEX_NAMESPACE": "team-b"]).output
        #expect(try JSONValue(parsing: teamB).arrayValue?.map { $0["workflow"] } == ["gpu"])
        #expect(try JSONValue(parsing: teamB).arrayValue?.first?["task_queue"] == "gpu")
        #expect(try await apex("runs").error.contains("no runs"))

        // A signal to team-b's run (which waits for none) is rejected; team-a's is accepted.
        #expect(try await apex("signal", "same", "go", "-n", "team-b").status == 1)
        #expect(try await apex("signal", "same", "go", "-n", "team-a").status == 0)
        #expect(try await apex("show", "same").status == 2)
        #expect(try await apex("resume", "same", "-n", "team-a").status == 0)
        #expect(try await apex("show", "same", "--json", "-n", "team-a").output.contains(#""status": "completed""#))
        #expect(try await apex("show", "same", "--json", "-n", "team-b").output.contains(#""status": "running""#))
    }

    @Test(arguments: ["-lead", "has space", "way-too-long-" + String(repeating: "x", count: 60), "é"])
    func aBadNamespaceOrQueueIsOneLineAndExit2(_ name: String) async throws {
        for result in [try await apex("runs", "--namespace=\(name)"), try await apex("runs", adding: ["APEX_NAMESPACE": name]),
                       try await apex("run", "gate.yaml", "--detach", "--task-queue=\(name)")] {
            #expect(result.status == 2, "\(result.error)")
            #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
            #expect(result.error.contains("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"))
        }
    }

    @Test func anEmptyNamespaceInTheEnvironmentIsRefused() async throws {
        let result = try await apex("runs", adding: ["APEX_NAMESPACE": ""])
        #expect(result.status == 2)
        #expect(result.error == "error: APEX_NAMESPACE \"\" is not a valid namespace: it is empty; it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$\n")
    }

    @Test func aWorkerDrivesOnlyTheRunsOfItsQueuesAndSignsItsStepsWithHostAndPid() async throws {
        #expect(try await apex("run", "gpu.yaml", "--detach", "--id", "on-gpu").status == 0)
        #expect(try await apex("run", "gpu.yaml", "--detach", "--id", "on-cpu", "--task-queue", "cpu").status == 0)
        let worker = try background("worker", "--task-queue", "gpu", "--mock-llm")
        defer { worker.terminate() }
        try await waitFor("on-gpu", event: "RunCompleted")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await !history("on-cpu").contains { $0["type"] == "StepStarted" })
        let started = try await history("on-gpu").first { $0["type"] == "StepStarted" }
        let host = ProcessInfo.processInfo.hostName
        #expect(started?["worker"]?.stringValue == "\(host):\(worker.process.processIdentifier)", "\(String(describing: started))")
        worker.terminate()
        let stopped = try await worker.wait()
        #expect(stopped.status == 0)
        #expect(stopped.error.contains("task queue(s) gpu"))
    }

    @Test func migrateStatusListsThePendingThenTheAppliedMigrations() async throws {
        let fresh = try await apex("migrate", "--status")
        #expect(fresh.status == 0)
        let pending = fresh.output.split(separator: "\n")
        #expect(pending.count >= 4 && pending.allSatisfy { $0.contains(" pending ") }, "\(fresh.output)")
        #expect(try await apex("migrate").error.contains("applied \(pending.count) migration(s), now at version \(pending.count)"))
        let text = try await apex("migrate", "--status")
        let lines = text.output.split(separator: "\n")
        #expect(lines.count == pending.count)
        #expect(lines.allSatisfy { $0.contains(" applied ") })
        let json = try JSONValue(parsing: try await apex("migrate", "--status", "--json").output)
        #expect(json.arrayValue?.map { $0["version"] } == (1...lines.count).map { .int($0) })
        #expect(json.arrayValue?.allSatisfy { $0["applied"] == true && $0["applied_at"] == .null } == true)
        #expect(try await apex("migrate").error.contains("is up to date"))
    }
}
