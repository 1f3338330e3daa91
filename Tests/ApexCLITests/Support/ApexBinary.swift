import Foundation

/// The built `apex` executable, for end-to-end tests that run it as a user would.
enum ApexBinary {
    /// The executable in the build products folder that holds this test bundle (the
    /// resource bundle sits in that folder on Linux and macOS alike); nil when not built.
    static let url: URL? = {
        let products = Bundle.module.bundleURL.deletingLastPathComponent()
        let candidates = [
            products.appendingPathComponent("apex"),
            // An Xcode-style layout nests the bundle one folder deeper.
            products.deletingLastPathComponent().appendingPathComponent("apex"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `apex arguments` in `directory` and waits for it to exit (``Subprocess``: output to
    /// files, the wait suspending). Standard input is empty, or the file `standardInput`.
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                    standardInput: String? = nil) async throws -> CommandResult {
        guard let url else { throw MissingBinary() }
        return try await Subprocess.run(url.path, arguments, in: directory, environment: environment, path: "/usr/bin:/bin",
                                        standardInput: standardInput)
    }

    struct MissingBinary: Error, CustomStringConvertible {
        var description: String { "the apex executable was not found next to the test bundle; run `swift build` first" }
    }
}
