import ApexEngine
import ArgumentParser

/// `apex migrate`: creates or upgrades the store's tables.
struct MigrateCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the store's tables (every command also does this on first use).",
        discussion: """
            Example:
              apex migrate --db sqlite:/var/lib/apex/apex.db
            """
    )

    @OptionGroup var store: StoreOptions

    func run(console: Console) async throws -> ExitCode {
        let settings = Settings(console: console)
        let store = try await EngineFactory.store(self.store, settings: settings)
        try await store.migrate()
        console.error.writeLine("store \(try settings.databasePath(flag: self.store.database)) is up to date")
        return .success
    }
}
