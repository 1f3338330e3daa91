import ApexDSL
import ApexEngine
import ApexStoreSQLite
import ArgumentParser
import Foundation

/// `apex backup PATH`: a consistent copy of the SQLite store, taken while runs go on.
struct BackupCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the SQLite store, while runs go on.",
        discussion: """
            The copy is SQLite's online backup of one moment of the store: processes running, \
            signalling or resuming runs are not stopped or slowed, and whatever they commit \
            during the copy is either wholly in it or not at all. The copy is one file (no -wal \
            beside it) that any apex opens with --db sqlite:PATH. It is written beside PATH and \
            moved there once complete, so PATH never holds half a copy.

            A PostgreSQL store is backed up with pg_dump; apex backup prints the command.

            Examples:
              apex backup /backups/apex-$(date +%F).db
              apex backup /backups/apex.db --force
              apex --db sqlite:/backups/apex.db runs   (look inside a copy)

            Exit status: 0 written, 1 the copy failed, 2 PATH exists (without --force), the \
            store is PostgreSQL, or bad usage.
            """
    )

    @Argument(help: "The file to write the copy to.", completion: .file())
    var path: String

    @Flag(help: "Replace PATH if it exists.")
    var force = false

    @Flag(help: "Print the copy as JSON: path, source, bytes and runs.")
    var json = false

    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        let settings = Settings(console: console)
        let source: String
        switch try settings.storeLocation(flag: store.database) {
        case .postgres(let configuration):
            console.error.writeLine("error: apex backup copies SQLite stores; back up this PostgreSQL store with pg_dump (the password is shown as ***: give it through PGPASSWORD or ~/.pgpass):")
            console.error.writeLine("  " + Self.pgDumpCommand(url: configuration.redactedURL, file: path))
            return .badInput
        case .sqlite(let path):
            source = path
        }
        // Opening a missing store would create an empty one, only to copy it.
        guard FileManager.default.fileExists(atPath: source) else {
            console.error.writeLine("error: there is no store at \(source)")
            return .badInput
        }
        let store = try SQLiteRunStore(path: source, namespace: try settings.namespace(flag: self.store.namespace))
        do {
            let copy = try await store.backup(to: path, replacing: force)
            if json {
                console.output.writeLine(JSONValue.object(["path": .string(path), "source": .string(source), "bytes": .int(copy.bytes),
                                                           "runs": .int(copy.runs)]).prettyJSON)
            } else {
                console.error.writeLine("backup of \(source) written to \(path) (\(Self.size(copy.bytes)), \(copy.runs) run\(copy.runs == 1 ? "" : "s"))")
            }
            return .success
        } catch SQLiteBackupError.destinationExists(let existing) {
            console.error.writeLine("error: \(existing) already exists; give --force to replace it")
            return .badInput
        } catch let error as SQLiteBackupError {
            console.error.writeLine("error: \(error)")
            return .badInput
        }
    }

    /// `12.3 MiB`, `48.0 KiB` or `512 bytes`.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1_048_576 { return String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        if bytes >= 1024 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return "\(bytes) bytes"
    }

    /// The `pg_dump` command that backs up the store at `url` to `file`, the password hidden.
    static func pgDumpCommand(url: String, file: String) -> String {
        "pg_dump --format=custom --file=\(shellQuoted(file)) \"\(Settings.redacted(url))\""
    }

    /// `text` as one shell word: unchanged when it is plain, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "/._-+=:,@%".unicodeScalars.contains($0)
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
