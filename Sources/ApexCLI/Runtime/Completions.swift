import ApexEngine
import ApexStoreSQLite
import ArgumentParser
import Foundation

/// What the shell offers for the values of `apex`'s arguments (`apex completion`, docs/cli.md).
extension CompletionKind {
    /// Workflow files and other YAML (`--llm-fixtures`), and folders.
    static let yamlFiles = CompletionKind.file(extensions: ["yaml", "yml"])

    /// JSON files (a run input, a history, an export), and folders.
    static let jsonFiles = CompletionKind.file(extensions: ["json"])

    /// The ids of the newest runs of the local store (``RunIDCompletion``), asked of `apex`
    /// when Tab is pressed.
    static let runIDs = CompletionKind.custom { words, _, _ in
        await RunIDCompletion.ids(words: words, settings: Settings(console: .standard))
    }
}

/// The run ids a shell offers where a run id goes: the newest runs of the SQLite store the
/// command line would use (its `--db` and `--namespace`, else the settings), as `apex runs`
/// lists them.
///
/// Completion runs at every Tab, so it must answer at once and never print an error: anything
/// that goes wrong gives no ids. It offers nothing for a PostgreSQL store or a server, which
/// could keep the shell waiting on the network, and it never creates or migrates a store.
enum RunIDCompletion {
    /// How many ids are offered, newest first.
    static let limit = 50

    /// The ids for the command line `words` (the shell's words, `apex` first).
    static func ids(words: [String], settings: Settings) async -> [String] {
        let database = value(of: ["--db"], in: words)
        if value(of: ["--server"], in: words) != nil { return [] }
        // `--db` chooses the store over APEX_SERVER for the commands that take a server.
        if database == nil, let command = words.dropFirst().first, ServerOptions.commands.contains(command),
           let server = settings.environment["APEX_SERVER"], !server.isEmpty {
            return []
        }
        guard case .sqlite(let path)? = try? settings.storeLocation(flag: database),
              FileManager.default.fileExists(atPath: path),
              let namespace = try? settings.namespace(flag: value(of: ["-n", "--namespace"], in: words)),
              let store = try? SQLiteRunStore(path: path, namespace: namespace, migrating: false, busyTimeout: 1),
              let runs = try? await store.runs(RunFilter(limit: limit))
        else { return [] }
        return runs.map(\.id)
    }

    /// The value of the last of the options `names` in `words` (`--db X` or `--db=X`), without
    /// the quotes the shell word may have.
    static func value(of names: [String], in words: [String]) -> String? {
        var found: String?
        for (index, word) in words.enumerated() {
            if names.contains(word), index + 1 < words.count {
                found = words[index + 1]
            } else if let name = names.first(where: { word.hasPrefix($0 + "=") }) {
                found = String(word.dropFirst(name.count + 1))
            }
        }
        return found.map(unquoted)
    }

    /// `word` without one pair of surrounding quotes: shells pass words as typed.
    private static func unquoted(_ word: String) -> String {
        guard word.count >= 2, let first = word.first, first == "'" || first == "\"", word.last == first else { return word }
        return String(word.dropFirst().dropLast())
    }
}
