import ApexDSL
import Foundation
import Testing

@testable import ApexCLI

/// The built binary copying a store while another process drives a run (`apex backup`), and
/// moving runs between stores (`apex export`, `apex import`): histories and rows identical, a
/// waiting run finished in the store it was moved to, bad documents refused on one line.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .serialized, .timeLimit(.minutes(3)))
struct BackupExportTests: BinaryWorkspace {
    let folder: TemporaryFolder
    let environment: [String: String]

    init() throws {
        folder = try TemporaryFolder()
        environment = Self.environment(in: folder)
        try folder.write("approval.yaml", """
            apex: 1
            name: approval
            steps:
              - id: approval
                wait:
                  signal: approve
                  schema: {type: object, required: [approved], properties: {approved: {type: boolean}}}
              - id: done
                set: {approved: "${{ steps.approval.output.approved }}"}
            output: ${{ steps.done.output.approved }}
            """)
        try folder.write("nested.yaml", """
            apex: 1
            name: nested
            llm: {provider: mock}
            steps:
              - id: ask
                llm: {prompt: hello}
              - id: call
                workflow: {file: children/shout.yaml, input: {text: "${{ steps.ask.output.text }}"}}
            output: ${{ steps.call.output }}
            """)
        try folder.write("children/shout.yaml", """
            apex: 1
            name: shout
            llm: {provider: mock}
            input: {type: object, required: [text], properties: {text: {type: string}}}
            steps:
              - id: loud
                llm: {prompt: "shout ${{ input.text }}"}
            output: ${{ steps.loud.output.text }}
            """)
        try folder.write("gated.yaml", """
            apex: 1
            name: gated
            steps:
              - id: call
                workflow: {file: children/gate.yaml, input: {topic: cats}}
            output: ${{ steps.call.output }}
            """)
        try folder.write("children/gate.yaml", """
            apex: 1
            name: gate
            input: {type: object, required: [topic], properties: {topic: {type: string}}}
            steps:
              - id: approval
                wait:
                  signal: approve
                  schema: {type: object, required: [approved], properties: {approved: {type: boolean}}}
              - id: done
                set: {approved: "${{ steps.approval.output.approved }}", topic: "${{ input.topic }}"}
            output: ${{ steps.done.output }}
            """)
    }

    private var other: String { folder.path + "/other.db" }

    /// `apex ARGUMENTS --db sqlite:DATABASE`.
    private func apex(_ arguments: String..., db database: String) async throws -> CommandResult {
        try await apex(arguments, db: database)
    }

    /// `apex ARGUMENTS`, on `database` when given, else on the suite's home store.
    private func apex(_ arguments: [String], db database: String?) async throws -> CommandResult {
        try await ApexBinary.run(arguments + (database.map { ["--db", "sqlite:" + $0] } ?? []), in: folder.path, environment: environment)
    }

    private func runs(db database: String? = nil) async throws -> JSONValue {
        let result = try await apex(["runs", "--json"], db: database)
        #expect(result.status == 0, "\(result.error)")
        return try JSONValue(parsing: result.output)
    }

    private func historyJSON(_ run: String, db database: String? = nil) async throws -> String {
        let result = try await apex(["history", run, "--json"], db: database)
        #expect(result.status == 0, "\(result.error)")
        return result.output
    }

    // MARK: apex backup

    @Test func aBackupTakenWhileAnotherProcessDrivesARunOpensAndResumesElsewhere() async throws {
        // A run that waits for a signal, driven by another process while the backup is taken
        // (a wait, not a sleep: the copy must be taken while it runs, however slow the machine).
        let running = try background("run", "approval.yaml", "--id", "busy")
        try await waitFor("busy", event: "StepScheduled", step: "approval")
        let backup = try await apex("backup", "copies/copy.db")
        #expect(backup.status == 0, "\(backup.error)")
        #expect(backup.output.isEmpty)
        let lines = backup.error.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(backup.error.contains("written to copies/copy.db") && backup.error.contains("1 run)"), "\(backup.error)")

        let copy = folder.path + "/copies/copy.db"
        // One file with a rollback journal: header bytes 18 and 19 are 1 (2 is WAL), nothing beside it.
        let header = try [UInt8](Data(contentsOf: URL(fileURLWithPath: copy)).prefix(20))
        #expect(Array(header.prefix(15)) == Array("SQLite format 3".utf8))
        #expect(header[18] == 1 && header[19] == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/copies") == ["copy.db"])

        let copied = try await runs(db: copy).arrayValue ?? []
        #expect(copied.map { $0["id"] } == ["busy"])
        #expect(copied.first?["status"] == "running")
        #expect(try await historyJSON("busy", db: copy).contains("StepScheduled"))

        #expect(try await apex("signal", "busy", "approve", "--data", #"{"approved": true}"#).status == 0)
        let finished = try await running.wait()
        #expect(finished.status == 0, "\(finished.error)")
        // The copy is a store of its own: its run finishes there (once the first process's lease, copied too, expires).
        #expect(try await apex(["signal", "busy", "approve", "--data", #"{"approved": false}"#], db: copy).status == 0)
        let resumed = try await apex(["resume", "busy"], db: copy)
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(resumed.output.trimmingCharacters(in: .whitespacesAndNewlines) == "false")
    }

    @Test func aBackupRefusesAnExistingFileUnlessForcedAndNeverTheStoreItself() async throws {
        #expect(try await apex("run", "approval.yaml", "--detach", "--id", "one").status == 0)
        let existing = try folder.write("existing.db", "not a database")
        let refused = try await apex("backup", "existing.db")
        #expect(refused.status == 2)
        #expect(refused.error == "error: existing.db already exists; give --force to replace it\n")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "not a database")

        // A stale -wal beside the target would be read as part of the copy: it counts as existing, and --force removes it.
        try folder.write("fresh.db-wal", "stale")
        #expect(try await apex("backup", "fresh.db").error.contains("fresh.db-wal already exists"))
        let forced = try await apex("backup", "fresh.db", "--force")
        #expect(forced.status == 0, "\(forced.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/fresh.db-wal"))
        #expect(try await runs(db: folder.path + "/fresh.db").arrayValue?.map { $0["id"] } == ["one"])

        #expect(try await apex("backup", "existing.db", "--force").status == 0)
        #expect(try await runs(db: existing).arrayValue?.count == 1)

        let onto = try await apex("backup", folder.path + "/home/apex.db", "--force")
        #expect(onto.status == 2)
        #expect(onto.error.contains("is the store itself"))
        #expect(try await runs().arrayValue?.count == 1)

        let missing = try await apex("backup", "x.db", db: folder.path + "/nothing-here.db")
        #expect(missing.status == 2)
        #expect(missing.error.contains("there is no store at"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/nothing-here.db"))
    }

    @Test func aPostgreSQLStoreGetsThePgDumpCommandWithThePasswordHidden() async throws {
        let flag = try await apex("backup", "apex.dump", "--db", "postgres://apex:s3cr@t@db.internal:5432/apex")
        #expect(flag.status == 2)
        #expect(flag.error.contains(#"pg_dump --format=custom --file=apex.dump "postgres://apex:***@db.internal:5432/apex?sslmode=prefer""#), "\(flag.error)")
        #expect(!flag.error.contains("s3cr"))

        let variable = try await apex("backup", "my dump", adding: ["APEX_DATABASE_URL": "postgresql://bob:hunter2@db.internal/apex?sslmode=require"])
        #expect(variable.status == 2)
        #expect(variable.error.contains(#"--file='my dump' "postgres://bob:***@db.internal:5432/apex?sslmode=require""#), "\(variable.error)")
        #expect(!variable.error.contains("hunter2"))
    }

    // MARK: apex export and apex import

    @Test func anExportedRunWithItsChildImportsIntoAnotherStoreWithIdenticalHistoriesAndRows() async throws {
        let finished = try await apex("run", "nested.yaml", "--mock-llm", "--id", "nest")
        #expect(finished.status == 0, "\(finished.error)")
        let exported = try await apex("export", "nest", "--output", "nest.json")
        #expect(exported.status == 0, "\(exported.error)")
        #expect(exported.error.hasPrefix("exported 2 runs (") && exported.error.hasSuffix(" and 2 definitions to nest.json\n"), "\(exported.error)")
        let document = try JSONValue(parsing: String(contentsOfFile: folder.path + "/nest.json", encoding: .utf8))
        #expect(document["format"] == "apex-export")
        #expect(document["version"] == 1)
        #expect(document["runs"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["nest", "nest.call.1"])
        #expect(document["runs"]?.arrayValue?.last?["parent_run_id"] == "nest")
        #expect(Set(document["definitions"]?.arrayValue?.compactMap { $0["workflow"]?.stringValue } ?? []) == ["nested", "shout"])

        // The same document on standard output.
        let printed = try await apex("export", "nest")
        #expect(try JSONValue(parsing: printed.output)["runs"] == document["runs"])

        let imported = try await ApexBinary.run(["import", "-", "--db", "sqlite:" + other], in: folder.path, environment: environment,
                                                standardInput: folder.path + "/nest.json")
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.error.hasPrefix("imported 2 runs ("))
        #expect(try await runs(db: other) == runs())
        for run in ["nest", "nest.call.1"] {
            let here = try await historyJSON(run)
            #expect(!here.isEmpty)
            #expect(try await historyJSON(run, db: other) == here)
        }
        #expect(try await apex("replay", "nest", db: other).status == 0)
        #expect(try await apex("show", "nest", db: other).status == 0)

        // The runs go to the importing store's namespace: the same ids are free in another one.
        // (With --json: what was imported, on standard output.)
        let elsewhere = try await apex("import", "nest.json", "--namespace", "team-b", "--json", db: other)
        #expect(elsewhere.status == 0, "\(elsewhere.error)")
        #expect(elsewhere.error.isEmpty)
        let importJSON = try JSONValue(parsing: elsewhere.output)
        #expect(importJSON.objectValue?.keys.elements == ["namespace", "runs", "definitions"])
        #expect(importJSON["namespace"] == "team-b")
        let printedRuns: [JSONValue] = importJSON["runs"]?.arrayValue ?? []
        let exportedRuns: [JSONValue] = document["runs"]?.arrayValue ?? []
        #expect(printedRuns.map { $0["id"] } == exportedRuns.map { $0["id"] })
        #expect(printedRuns.first?.objectValue?.keys.elements == ["id", "workflow", "status", "events"])
        let printedCounts: [Int] = printedRuns.map { Int($0["events"]?.numberValue ?? -1) }
        let exportedCounts: [Int] = exportedRuns.map { $0["events"]?.arrayValue?.count ?? -2 }
        #expect(printedCounts == exportedCounts)
        let printedDefinitions: [JSONValue] = importJSON["definitions"]?.arrayValue ?? []
        let exportedDefinitions: [JSONValue] = document["definitions"]?.arrayValue ?? []
        #expect(printedDefinitions.map { $0["hash"] } == exportedDefinitions.map { $0["hash"] })
        #expect(printedDefinitions.first?.objectValue?.keys.elements == ["hash", "workflow"])
        let teamB = try await apex("runs", "--json", "-n", "team-b", db: other).output
        let here = try await apex("runs", "--json").output
        #expect(teamB == here.replacingOccurrences(of: #""namespace": "default""#, with: #""namespace": "team-b""#))
        #expect(try await apex("history", "nest.call.1", "--json", "-n", "team-b", db: other).output == historyJSON("nest.call.1"))
        #expect(document["runs"]?.arrayValue?.map { $0["task_queue"] } == ["apex-orchestrator", "apex-orchestrator"])

        // All or nothing: a second import finds the runs there and writes nothing.
        let again = try await apex("import", "nest.json", db: other)
        #expect(again.status == 1)
        #expect(again.error == "error: already in the store, so nothing was imported: nest, nest.call.1\n")

        #expect(try await apex("export", "nobody").status == 2)
    }

    @Test func aWaitingRunImportedElsewhereIsSignalledAndFinishedByAWorkerThere() async throws {
        #expect(try await apex("run", "approval.yaml", "--detach", "--id", "gate").status == 0)
        #expect(try await apex("export", "gate", "-o", "gate.json").status == 0)
        #expect(try await apex("import", "gate.json", db: other).status == 0)
        #expect(try await historyJSON("gate", db: other) == historyJSON("gate"))

        let signalled = try await apex("signal", "gate", "approve", "--data", #"{"approved": true}"#, db: other)
        #expect(signalled.status == 0, "\(signalled.error)")
        let worker = try BackgroundApex(["worker", "--db", "sqlite:" + other], in: folder.path, environment: environment)
        let deadline = Date().addingTimeInterval(20)
        var status: JSONValue?
        while Date() < deadline {
            status = try await runs(db: other).arrayValue?.first?["status"]
            if status == "completed" { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        worker.terminate()
        #expect(try await worker.wait().status == 0)
        #expect(status == "completed")
        #expect(try await runs(db: other).arrayValue?.first?["output"] == true)
        // The original is untouched.
        #expect(try await runs().arrayValue?.first?["status"] == "running")
    }

    @Test func aRunKilledWhileItsChildWaitsIsImportedAndFinishedThereWithThatChild() async throws {
        let first = try background("run", "gated.yaml", "--id", "outer")
        try await waitFor("outer.call.1", event: "StepScheduled", step: "approval")
        first.kill()
        #expect(try await apex("export", "outer", "--output", "outer.json").status == 0)
        let imported = try await apex("import", "outer.json", db: other)
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.error.contains("2 unfinished"), "\(imported.error)")

        #expect(try await apex("signal", "outer.call.1", "approve", "--data", #"{"approved": true}"#, db: other).status == 0)
        let resumed = try await apex("resume", "outer", db: other)
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(try JSONValue(parsing: resumed.output) == ["approved": true, "topic": "cats"])
        // The imported child was finished, not started over.
        let ids = try await runs(db: other).arrayValue?.compactMap { $0["id"]?.stringValue }.sorted()
        #expect(ids == ["outer", "outer.call.1"])
    }

    @Test func badDocumentsAreRefusedOnOneLineAndWriteNothing() async throws {
        #expect(try await apex("run", "approval.yaml", "--detach", "--id", "doc").status == 0)
        let exported = try await apex("export", "doc")
        guard case .object(var document) = try JSONValue(parsing: exported.output) else {
            Issue.record("not an object: \(exported.output)")
            return
        }
        guard case .object(var run) = document["runs"]?.arrayValue?.first, var events = run["events"]?.arrayValue,
              case .object(var first) = events.first else {
            Issue.record("no run in \(exported.output)")
            return
        }
        first["seq"] = 2
        events[0] = .object(first)
        run["events"] = .array(events)
        var renumbered = document
        renumbered["runs"] = [.object(run)]
        var noDefinitions = document
        noDefinitions["definitions"] = []
        var wrongFormat = document
        wrongFormat["format"] = "apex-backup"
        document["version"] = 2

        let cases: [(String, String, String)] = [
            ("not-json.json", "{\"format\": ", "is not JSON"),
            ("format.json", JSONValue.object(wrongFormat).compactJSON, #"not an apex export: "format" is "apex-backup""#),
            ("version.json", JSONValue.object(document).compactJSON, "export format version 2; this apex reads version 1"),
            ("renumbered.json", JSONValue.object(renumbered).compactJSON, "events are numbered from 1 without gaps"),
            ("definitions.json", JSONValue.object(noDefinitions).compactJSON, "which the document does not hold"),
        ]
        for (name, text, message) in cases {
            try folder.write(name, text)
            let result = try await apex("import", name, db: other)
            #expect(result.status == 2, "\(name)")
            #expect(result.error.hasPrefix("error: \(name)") && result.error.contains(message), "\(name): \(result.error)")
            #expect(result.error.split(separator: "\n").count == 1, "\(name): \(result.error)")
        }
        #expect(try await apex("import", "no-such-file.json", db: other).status == 2)
        #expect(try await runs(db: other) == [])
    }
}

/// The PostgreSQL URL in `apex backup`'s pg_dump hint never shows a password.
@Suite struct PostgresHintTests {
    @Test(arguments: [
        ("postgres://apex:secret@db:5432/apex", "postgres://apex:***@db:5432/apex"),
        ("postgresql://apex:p@ss/w:rd@db/apex", "postgresql://apex:***@db/apex"),
        ("postgres://apex@db/apex", "postgres://apex@db/apex"),
        ("postgres://db/apex?password=secret&sslmode=require", "postgres://db/apex?password=***&sslmode=require"),
        ("postgres://apex:secret@db/apex?PASSWORD=secret", "postgres://apex:***@db/apex?password=***"),
        ("postgres://db", "postgres://db"),
    ])
    func passwordsAreHidden(url: String, shown: String) {
        #expect(Settings.redacted(url) == shown)
    }

    @Test func theFileIsOneShellWord() {
        #expect(BackupCommand.pgDumpCommand(url: "postgres://db/apex", file: "it's here.dump")
            == #"pg_dump --format=custom --file='it'\''s here.dump' "postgres://db/apex""#)
    }
}
