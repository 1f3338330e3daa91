import ApexDSL
import Foundation
import Testing

@testable import ApexCLI

/// `--json` on `apex signal`, `apex cancel`, `apex backup` and `apex sign` (docs/cli.md, each
/// command's section): one JSON object on standard output, nothing on standard error.
@Suite struct CommandJSONTests {
    let folder: TemporaryFolder
    let database: String
    let workflow: String

    init() throws {
        folder = try TemporaryFolder()
        database = "sqlite:\(folder.path)/apex.db"
        workflow = try folder.write("gate.yaml", ClientModeTests.gate)
    }

    func apex(_ arguments: String...) async -> CommandResult {
        await CommandResult.run(arguments + ["--db", database], ConsoleCapture())
    }

    @Test func signalAndCancelPrintWhatHappened() async throws {
        #expect(await apex("run", workflow, "--detach", "--id", "j-1").status == 0)
        let signal = await apex("signal", "j-1", "go", "--data", #"{"approved": true}"#, "--json")
        #expect(signal.status == 0, "\(signal.error)")
        #expect(signal.error.isEmpty)
        let sent = try JSONValue(parsing: signal.output)
        #expect(sent.objectValue?.keys.elements == ["run_id", "name", "seq", "signal_id", "at"])
        #expect(sent["run_id"] == "j-1" && sent["name"] == "go")
        #expect((sent["seq"]?.numberValue ?? 0) > 0)
        #expect(sent["signal_id"]?.stringValue?.isEmpty == false)
        #expect(RunText.time(sent["at"]) != nil)

        #expect(await apex("run", workflow, "--detach", "--id", "j-2").status == 0)
        let cancel = await apex("cancel", "j-2", "--json")
        #expect(cancel.status == 0 && cancel.error.isEmpty, "\(cancel.error)")
        #expect(try JSONValue(parsing: cancel.output) == ["run_id": "j-2", "cancel_requested": true])
    }

    @Test func cancellingAFinishedRunSaysNothingWasRequested() async throws {
        let done = try folder.write("done.yaml", "apex: 1\nname: done\nsteps:\n  - id: one\n    set: {x: 1}\n")
        #expect(await apex("run", done, "--id", "d-1").status == 0)
        let cancel = await apex("cancel", "d-1", "--json")
        #expect(cancel.status == 0)
        #expect(try JSONValue(parsing: cancel.output) == ["run_id": "d-1", "cancel_requested": false])
    }

    @Test func backupPrintsThePathSizeAndRuns() async throws {
        #expect(await apex("run", workflow, "--detach", "--id", "b-1").status == 0)
        let copy = folder.path + "/copy.db"
        let backup = await apex("backup", copy, "--json")
        #expect(backup.status == 0 && backup.error.isEmpty, "\(backup.error)")
        let printed = try JSONValue(parsing: backup.output)
        #expect(printed.objectValue?.keys.elements == ["path", "source", "bytes", "runs"])
        #expect(printed["path"]?.stringValue == copy)
        #expect(printed["source"]?.stringValue == folder.path + "/apex.db")
        let size = try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int
        #expect(printed["bytes"]?.numberValue.map { Int($0) } == size)
        #expect(printed["runs"] == 1)
    }

    @Test func signPrintsTheHeadersAsAnObject() async throws {
        let environment = ["APEX_WEBHOOK_SECRET": SignCommandTests.secret]
        let path = "/v1/hooks/default/runs/ticket-42/signals/approve"
        let json = await CommandResult.apex("sign", "--path", path, "--data", "{}", "--timestamp", "1700000000",
                                            "--delivery", "d-1", "--json", environment: environment)
        let text = await CommandResult.apex("sign", "--path", path, "--data", "{}", "--timestamp", "1700000000",
                                            "--delivery", "d-1", environment: environment)
        #expect(json.status == 0 && text.status == 0)
        let headers = try JSONValue(parsing: json.output)
        #expect(headers.objectValue?.keys.elements == ["X-Apex-Timestamp", "X-Apex-Delivery", "X-Apex-Signature-256"])
        let lines = headers.objectValue?.map { "\($0.key): \($0.value.stringValue ?? "")\n" }.joined()
        #expect(lines == text.output)
        let both = await CommandResult.apex("sign", "--path", path, "--data", "{}", "--json", "--format", "curl", environment: environment)
        #expect(both.status == 2)
    }
}
