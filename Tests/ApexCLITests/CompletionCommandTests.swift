import Foundation
import Testing

@testable import ApexCLI

/// `apex completion SHELL` and the run ids it completes (docs/cli.md, "`apex completion`").
@Suite struct CompletionCommandTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func printsTheScriptOfEachShell(shell: String) async {
        let result = await CommandResult.apex("completion", shell)
        #expect(result.status == 0)
        #expect(result.error.isEmpty)
        #expect(result.output.contains("apex"))
        #expect(result.output.contains("validate"))
        #expect(result.output.hasSuffix("\n"))
    }

    @Test func anUnknownShellIsBadUsage() async {
        let result = await CommandResult.apex("completion", "powershell")
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
        #expect(result.error.contains("'powershell'"))
    }

    @Test func workflowFilesAndRunIDsAreCompleted() async {
        let bash = await CommandResult.apex("completion", "bash").output
        #expect(bash.contains("-o plusdirs -fX '!*.@(yaml|yml)'"))
        for command in ["resume", "signal", "cancel", "show", "history", "replay", "export"] {
            #expect(bash.contains("---completion \(command) -- positional@0 "), "\(command)")
        }
        #expect(bash.contains("---completion graph -- --run "))
    }

    /// Settings that see `environment` (and no `.env` of this process's folder that names a store).
    private static func settings(_ environment: [String: String] = [:]) -> Settings {
        Settings(console: ConsoleCapture(environment: environment).console)
    }

    /// A store at `folder/apex.db` with runs `first` and `second`, both waiting.
    private static func storeWithTwoRuns(in folder: TemporaryFolder) async throws -> String {
        let database = "sqlite:" + folder.path + "/apex.db"
        let file = try folder.write("gate.yaml", """
            apex: 1
            name: gate
            steps:
              - id: gate
                wait: { signal: go }
            """)
        for id in ["first", "second"] {
            let started = await CommandResult.apex("run", file, "--detach", "--id", id, "--db", database)
            #expect(started.status == 0, "\(started.error)")
        }
        return database
    }

    @Test func runIDsAreTheStoresRuns() async throws {
        let folder = try TemporaryFolder()
        let database = try await Self.storeWithTwoRuns(in: folder)
        let ids = await RunIDCompletion.ids(words: ["apex", "show", "--db", database, ""], settings: Self.settings())
        #expect(Set(ids) == ["first", "second"])
        let quoted = await RunIDCompletion.ids(words: ["apex", "cancel", "--db='\(database)'", "f"], settings: Self.settings())
        #expect(Set(quoted) == ["first", "second"])
        let fromHome = await RunIDCompletion.ids(words: ["apex", "resume", ""], settings: Self.settings(["APEX_HOME": folder.path]))
        #expect(Set(fromHome) == ["first", "second"])
        let otherNamespace = await RunIDCompletion.ids(words: ["apex", "show", "-n", "other", "--db", database, ""], settings: Self.settings())
        #expect(otherNamespace.isEmpty)
    }

    @Test func theShellGetsTheIdsFromApex() async throws {
        let folder = try TemporaryFolder()
        let database = try await Self.storeWithTwoRuns(in: folder)
        // What the bash script runs at Tab after `apex show --db DATABASE `.
        let result = await CommandResult.apex("---completion", "show", "--", "positional@0", "4", "0", "apex", "show", "--db", database, "")
        #expect(result.status == 0)
        #expect(result.error.isEmpty)
        #expect(Set(result.output.split(separator: "\n")) == ["first", "second"])
    }

    @Test func noStoreGivesNoIdsAndCreatesNone() async throws {
        let folder = try TemporaryFolder()
        let missing = await RunIDCompletion.ids(words: ["apex", "show", "--db", "sqlite:" + folder.path + "/missing/apex.db", ""],
                                                settings: Self.settings())
        #expect(missing.isEmpty)
        let home = await RunIDCompletion.ids(words: ["apex", "show", ""], settings: Self.settings(["APEX_HOME": folder.path + "/home"]))
        #expect(home.isEmpty)
        let notADatabase = try folder.write("notes.db", "not sqlite")
        #expect(await RunIDCompletion.ids(words: ["apex", "show", "--db", "sqlite:" + notADatabase, ""], settings: Self.settings()).isEmpty)
        let badNamespace = await RunIDCompletion.ids(words: ["apex", "show", "-n", "!", ""], settings: Self.settings(["APEX_HOME": folder.path]))
        #expect(badNamespace.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/missing"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/home"))
    }

    @Test func aServerGivesNoIds() async throws {
        let folder = try TemporaryFolder()
        let database = try await Self.storeWithTwoRuns(in: folder)
        let server = Self.settings(["APEX_SERVER": "http://127.0.0.1:1", "APEX_HOME": folder.path])
        #expect(await RunIDCompletion.ids(words: ["apex", "show", "--server", "http://127.0.0.1:1", ""], settings: Self.settings()).isEmpty)
        #expect(await RunIDCompletion.ids(words: ["apex", "show", ""], settings: server).isEmpty)
        // --db chooses the store over APEX_SERVER, and resume never uses a server.
        #expect(await RunIDCompletion.ids(words: ["apex", "show", "--db", database, ""], settings: server).count == 2)
        #expect(await RunIDCompletion.ids(words: ["apex", "resume", ""], settings: server).count == 2)
    }

    @Test func theLastOptionWins() {
        #expect(RunIDCompletion.value(of: ["--db"], in: ["apex", "show", "--db", "a", "--db=b"]) == "b")
        #expect(RunIDCompletion.value(of: ["-n", "--namespace"], in: ["apex", "show", "--namespace", "\"x\"", "-n"]) == "x")
        #expect(RunIDCompletion.value(of: ["--db"], in: ["apex", "show"]) == nil)
    }
}
